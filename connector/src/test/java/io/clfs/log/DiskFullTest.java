package io.clfs.log;

import io.clfs.log.engine.Metadata;
import io.clfs.log.engine.MetadataStore;
import io.clfs.log.io.FileIO;
import io.clfs.log.io.NoSpaceDisk;
import io.clfs.log.io.SimulatedDisk;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A file system that fills up and empties again (ENOSPC) while a container or a new log is being
 * created: a full log, not a failure. The partial files go, the metadata never lists them, nothing
 * acknowledged or pending is touched, and appends go on once there is space; a power loss after
 * that keeps everything acknowledged.
 */
class DiskFullTest {
    private static final Path DIR = Path.of("/sim/log");
    private static final LogPolicy SMALL = LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096)
            .withContainers(2, 8);
    /** Calls of one 512 KiB container's creation: zero fill, header write, force, directory sync. */
    private static final int CONTAINER_CREATION_CALLS = 4;

    private record Appended(long lsn, byte[] data) {
    }

    private static byte[] record(int i) {
        byte[] data = new byte[1000];
        Arrays.fill(data, (byte) i);
        ByteBuffer.wrap(data).putInt(i);
        return data;
    }

    /** The container table of the newest metadata copy on the disk. */
    private static List<Metadata.ContainerEntry> listed(FileIO io) {
        return new MetadataStore(io, DIR).readNewest().containers();
    }

    private static List<String> names(FileIO io) throws IOException {
        return io.list(DIR).stream().map(p -> p.getFileName().toString()).toList();
    }

    @ParameterizedTest(name = "no space at creation call {0}")
    @ValueSource(ints = {1, 2, 3, CONTAINER_CREATION_CALLS})
    void noSpaceForANewContainerIsAFullLogThatTakesAppendsOnceSpaceReturns(int call) throws IOException {
        SimulatedDisk sim = new SimulatedDisk();
        NoSpaceDisk disk = new NoSpaceDisk(sim);
        List<Appended> appended = new ArrayList<>();
        try (ClfsLog log = ClfsLog.create(disk, DIR, LogKind.DEDICATED, true, SMALL)) {
            LogStream s = log.stream();
            int i = 0;
            for (long last = 0; Lsn.container(last) < 2; i++) { // the first container, into the second (the last one)
                last = s.append(record(i));
                appended.add(new Appended(last, record(i)));
            }
            s.flush(s.lastLsn());
            List<Metadata.ContainerEntry> table = listed(sim);
            disk.failCreationCall(call, NoSpaceDisk.ENOSPC);

            int pending = appended.size();
            LogFullException full = null;
            for (; full == null; i++) {
                try {
                    appended.add(new Appended(s.append(record(i)), record(i)));
                } catch (LogFullException e) {
                    full = e;
                }
            }
            assertThat(full).isInstanceOf(DiskFullException.class).hasMessageContaining("no space left on device")
                    .hasMessageContaining(DIR.toString()).hasMessageContaining("container-000002.clfs");
            assertThat(appended.size()).as("records appended into the second container").isGreaterThan(pending + 400);
            assertThat(log.failed()).isFalse();
            assertThat(names(sim)).as("the partial container is gone").doesNotContain("container-000002.clfs");
            assertThat(listed(sim)).as("the metadata's container table").isEqualTo(table);
            assertThat(log.info().containers()).hasSize(2);
            assertThatThrownBy(() -> s.append(record(0))).as("still full").isInstanceOf(DiskFullException.class);
            s.flush(s.lastLsn()); // the pending blocks of the full container were kept: they become durable

            disk.free();
            for (int more = 0; more < 300; more++, i++) {
                appended.add(new Appended(s.append(record(i)), record(i)));
            }
            s.flush(s.lastLsn());
            assertThat(Lsn.container(s.lastLsn())).as("appends moved into the new container").isEqualTo(3);
            assertThat(names(sim)).contains("container-000002.clfs");
        }

        SimulatedDisk afterPowerLoss = new SimulatedDisk(sim.crash(SimulatedDisk.Loss.TORN, new Random(call)));
        try (ClfsLog log = ClfsLog.open(afterPowerLoss, DIR)) {
            for (Appended a : appended) {
                assertThat(log.stream().read(a.lsn).bytes()).as("record at %s", Lsn.toString(a.lsn))
                        .isEqualTo(a.data);
            }
        }
        assertThat(LogVerifier.verify(afterPowerLoss, DIR).faults()).isEmpty();
    }

    @ParameterizedTest(name = "I/O error at creation call {0}")
    @ValueSource(ints = {1, CONTAINER_CREATION_CALLS})
    void anotherErrorWhileCreatingAContainerStillStopsTheWriter(int call) {
        NoSpaceDisk disk = new NoSpaceDisk(new SimulatedDisk());
        try (ClfsLog log = ClfsLog.create(disk, DIR, LogKind.DEDICATED, true, SMALL)) {
            LogStream s = log.stream();
            disk.failCreationCall(call, "Input/output error");
            assertThatThrownBy(() -> {
                for (int i = 0; i < 2000; i++) {
                    s.append(record(i));
                }
            }).isInstanceOf(ClfsIOException.class).hasMessageContaining("Input/output error");
            assertThat(log.failed()).isTrue();
        }
    }

    /**
     * The first 512 KiB container (2 writes, a force), the spare (its header, which allocates, and a
     * force), the directory (their names), the metadata (2 writes, a force), the directory and its
     * parent.
     */
    @ParameterizedTest(name = "no space at creation call {0}")
    @ValueSource(ints = {1, 3, 4, 5, 6, 7, 8, 9, 10, 11})
    void noSpaceForANewLogLeavesNoFilesAndTheCreationCanBeRetried(int call) throws IOException {
        SimulatedDisk sim = new SimulatedDisk();
        NoSpaceDisk disk = new NoSpaceDisk(sim);
        disk.failCreationCall(call, NoSpaceDisk.ENOSPC);
        assertThatThrownBy(() -> ClfsLog.create(disk, DIR, LogKind.DEDICATED, true, SMALL))
                .isInstanceOf(DiskFullException.class).hasMessageContaining("no space left on device")
                .hasMessageContaining(DIR.toString());
        assertThat(names(sim)).isEmpty();

        disk.free();
        try (ClfsLog log = ClfsLog.create(disk, DIR, LogKind.DEDICATED, true, SMALL)) {
            long lsn = log.stream().appendForced(ByteBuffer.wrap(record(1)));
            assertThat(log.stream().read(lsn).bytes()).isEqualTo(record(1));
        }
    }
}

package io.clfs.log;

import io.clfs.log.engine.MetadataStore;
import io.clfs.log.io.FileHandle;
import io.clfs.log.io.FileIO;
import io.clfs.log.io.FileReplacedException;
import io.clfs.log.io.SimulatedDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A container or the metadata file deleted or replaced under a running writer: the writer's next
 * flush (or metadata write) fails naming the file, the log stops, and nothing more is acknowledged.
 */
class RemovedFilesTest {
    private static final LogPolicy SMALL = LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096);

    @TempDir
    Path dir;

    private interface FileChange {
        void apply(Path file) throws IOException;
    }

    private static ByteBuffer bytes(int value) {
        return ByteBuffer.wrap(new byte[]{(byte) value});
    }

    private static Path activeContainer(ClfsLog log) {
        String name = log.info().containers().stream().filter(c -> c.state() == LogInfo.ContainerState.ACTIVE)
                .findFirst().orElseThrow().file();
        return log.dir().resolve(name);
    }

    /**
     * Writes one acknowledged record, changes {@code file} under the writer, and checks that the
     * next forced append fails naming it and that the log then refuses everything. Returns the
     * acknowledged record's LSN.
     */
    private static long checkNextFlushFails(ClfsLog log, Path file, FileChange change) throws IOException {
        LogStream s = log.stream();
        long acknowledged = s.appendForced(bytes(1));
        change.apply(file);
        assertThatThrownBy(() -> s.appendForced(bytes(2))).isInstanceOf(ClfsIOException.class)
                .hasMessageContaining(file.toString()).hasRootCauseInstanceOf(FileReplacedException.class);
        assertThat(log.failed()).isTrue();
        assertThatThrownBy(() -> s.appendForced(bytes(3))).isInstanceOf(ClfsIOException.class)
                .hasMessageContaining("must be reopened");
        assertThatThrownBy(() -> s.advanceBase(acknowledged)).isInstanceOf(ClfsIOException.class)
                .hasMessageContaining("must be reopened");
        return acknowledged;
    }

    /** Replaces {@code file} with a copy of itself under the same name, as a copy-and-rename would. */
    private static void replaceWithCopy(Path file) throws IOException {
        Path copy = file.resolveSibling(file.getFileName() + ".copy");
        Files.copy(file, copy);
        Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aContainerDeletedUnderTheWriterStopsItAndTheNextOpenReportsIt() throws IOException {
        Path container;
        try (ClfsLog log = ClfsLog.create(FileIO.real(), dir, LogKind.DEDICATED, false, SMALL)) {
            container = activeContainer(log);
            checkNextFlushFails(log, container, Files::delete);
        }
        assertThatThrownBy(() -> ClfsLog.open(dir)).isInstanceOf(CorruptLogException.class)
                .hasMessageContaining(container.toString()).hasMessageContaining("missing");
    }

    @Test
    void aContainerReplacedUnderTheWriterStopsItAndTheCopyKeepsWhatWasAcknowledged() throws IOException {
        long acknowledged;
        try (ClfsLog log = ClfsLog.create(FileIO.real(), dir, LogKind.DEDICATED, false, SMALL)) {
            acknowledged = checkNextFlushFails(log, activeContainer(log), RemovedFilesTest::replaceWithCopy);
        }
        try (ClfsLog log = ClfsLog.open(dir)) {
            assertThat(log.stream().read(acknowledged).bytes()).containsExactly(1);
            assertThat(log.stream().lastLsn()).as("nothing after the replacement").isEqualTo(acknowledged);
        }
    }

    @Test
    void aMetadataFileReplacedUnderTheWriterStopsItsNextMetadataWrite() throws IOException {
        Path meta = dir.resolve(MetadataStore.FILE);
        long acknowledged;
        try (ClfsLog log = ClfsLog.create(FileIO.real(), dir, LogKind.DEDICATED, false, SMALL)) {
            LogStream s = log.stream();
            acknowledged = s.appendForced(bytes(1));
            replaceWithCopy(meta);
            assertThatThrownBy(() -> s.advanceBase(acknowledged)).isInstanceOf(ClfsIOException.class)
                    .hasMessageContaining(meta.toString()).hasRootCauseInstanceOf(FileReplacedException.class);
            assertThat(log.failed()).isTrue();
            assertThatThrownBy(() -> s.appendForced(bytes(3))).isInstanceOf(ClfsIOException.class)
                    .hasMessageContaining("must be reopened");
        }
        try (ClfsLog log = ClfsLog.open(dir)) {
            assertThat(log.stream().read(acknowledged).bytes()).containsExactly(1);
        }
    }

    @Test
    void aMetadataFileReplacedUnderTheWriterStopsItsNextFlush() throws IOException {
        try (ClfsLog log = ClfsLog.create(FileIO.real(), dir, LogKind.DEDICATED, false, SMALL)) {
            checkNextFlushFails(log, dir.resolve(MetadataStore.FILE), RemovedFilesTest::replaceWithCopy);
        }
    }

    @Test
    void onTheSimulatedDiskADeletedOrReplacedContainerStopsTheWriter() throws IOException {
        SimulatedDisk disk = new SimulatedDisk();
        try (ClfsLog log = ClfsLog.create(disk, CrashWorkload.DIR, LogKind.DEDICATED, false, SMALL)) {
            checkNextFlushFails(log, activeContainer(log), disk::delete);
        }
        assertThatThrownBy(() -> ClfsLog.open(disk, CrashWorkload.DIR)).isInstanceOf(CorruptLogException.class)
                .hasMessageContaining("missing");

        SimulatedDisk other = new SimulatedDisk();
        try (ClfsLog log = ClfsLog.create(other, CrashWorkload.DIR, LogKind.DEDICATED, false, SMALL)) {
            checkNextFlushFails(log, activeContainer(log), file -> {
                ByteBuffer contents;
                try (FileHandle h = other.open(file, FileIO.Mode.READ)) {
                    contents = ByteBuffer.allocate((int) h.size());
                    h.read(contents, 0);
                }
                other.delete(file);
                try (FileHandle h = other.open(file, FileIO.Mode.CREATE_NEW)) {
                    h.write(contents.flip(), 0);
                }
            });
        }
    }
}

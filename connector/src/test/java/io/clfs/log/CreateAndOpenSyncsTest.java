package io.clfs.log;

import io.clfs.log.engine.NewLog;
import io.clfs.log.io.DelegatingFileIO;
import io.clfs.log.io.SimulatedDisk;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The syncs a new log and an open cost: each a journal commit of the file system, and a sink over
 * 1,000 partitions creates and opens 1,000 logs inside a rebalance (docs/benchmarks.md, "1,000
 * partitions on one worker"). That a creation cut off anywhere leaves no log or a whole one is
 * {@link LogCreationTest}'s; that an unclean open still vouches for what it found is the crash tests'.
 */
class CreateAndOpenSyncsTest {
    private static final Path DIR = Path.of("/sim/new");
    private static final Path META = DIR.resolve("clfs.meta");
    private static final LogPolicy SMALL = LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096);

    /** Records each force (by file) and each directory sync (by directory). */
    private static final class Syncs extends DelegatingFileIO {
        final List<Path> forced = new ArrayList<>();
        final List<Path> dirSyncs = new ArrayList<>();

        Syncs(SimulatedDisk disk) {
            super(disk);
        }

        @Override
        protected void beforeForce(Path file) {
            forced.add(file);
        }

        @Override
        protected void beforeSyncDirectory(Path dir) {
            dirSyncs.add(dir);
        }
    }

    @Test
    void aNewLogSyncsItsDirectoryOnceForItsContainersAndOnceForItsMetadata() {
        Syncs io = new Syncs(new SimulatedDisk());
        NewLog.create(io, DIR, LogKind.DEDICATED, true, SMALL);
        assertThat(io.dirSyncs).filteredOn(DIR::equals).hasSize(2);
        assertThat(io.forced).filteredOn(p -> !p.getFileName().toString().startsWith("clfs.meta"))
                .as("each initial container forced once").hasSize(SMALL.minContainers()).doesNotHaveDuplicates();
    }

    @Test
    void openingACleanlyClosedLogWritesItsMetadataOnceTheFence() {
        SimulatedDisk disk = new SimulatedDisk();
        try (ClfsLog log = ClfsLog.create(disk, DIR, LogKind.DEDICATED, true, SMALL)) {
            log.stream().flush(log.stream().append(new byte[]{1}));
        }
        Syncs io = new Syncs(disk);
        try (ClfsLog log = ClfsLog.open(io, DIR)) {
            assertThat(io.forced).filteredOn(META::equals).hasSize(1);
            assertThat(log.stream().lastLsn()).isNotEqualTo(Lsn.INVALID);
        }
    }

    @Test
    void openingAfterACrashStillVouchesForTheRecordsItFound() {
        SimulatedDisk disk = new SimulatedDisk();
        ClfsLog crashed = ClfsLog.create(disk, DIR, LogKind.DEDICATED, true, SMALL);
        long lsn = crashed.stream().append(new byte[]{1});
        crashed.stream().flush(lsn);
        Syncs io = new Syncs(new SimulatedDisk(disk.crash(new Random(1))));
        try (ClfsLog log = ClfsLog.open(io, DIR)) {
            assertThat(io.forced).as("the fence's new file, then the vouched end")
                    .filteredOn(p -> p.getFileName().toString().startsWith("clfs.meta")).hasSizeGreaterThanOrEqualTo(2);
            assertThat(log.stream().lastLsn()).isEqualTo(lsn);
        }
    }
}

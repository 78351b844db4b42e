package io.clfs.log;

import io.clfs.log.io.DelegatingFileIO;
import io.clfs.log.io.FileIO;
import io.clfs.log.io.SimulatedDisk;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A log comes into being whole: a reader that looks while it is created (the source connector
 * discovering a partition's new log, a tool) finds no log or a whole one, and a creation cut off by
 * a power loss at any I/O call leaves no log or a whole one, never a half-written metadata file.
 */
class LogCreationTest {
    private static final Path DIR = Path.of("/sim/new");
    private static final LogPolicy SMALL = LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096);

    @Test
    void aReaderFindsNoLogOrAWholeOneWhileTheLogIsCreated() {
        SimulatedDisk disk = new SimulatedDisk();
        int[] seen = new int[2]; // no log, a whole log
        FileIO probing = new DelegatingFileIO(disk) {
            @Override
            protected void beforeChange() {
                if (!ClfsLog.exists(disk, DIR)) {
                    seen[0]++;
                    return;
                }
                try (ClfsLog reader = ClfsLog.openReadOnly(disk, DIR)) {
                    assertThat(reader.stream().lastLsn()).isEqualTo(Lsn.INVALID);
                    seen[1]++;
                }
            }
        };
        ClfsLog.create(probing, DIR, LogKind.DEDICATED, true, SMALL).close();
        assertThat(seen[0]).as("looks before the log existed").isPositive();
        assertThat(seen[1]).as("looks after it existed, each opening it whole").isPositive();
    }

    @Test
    void aCreationCutOffAtAnyIoCallLeavesNoLogOrAWholeOne() throws IOException {
        long calls = creationCalls();
        for (long k = 0; k < calls; k++) {
            SimulatedDisk disk = new SimulatedDisk();
            disk.crashAfter(k);
            assertThatThrownBy(() -> ClfsLog.create(disk, DIR, LogKind.DEDICATED, true, SMALL))
                    .hasStackTraceContaining(SimulatedDisk.POWER_LOSS);
            SimulatedDisk after = new SimulatedDisk(disk.crash(new Random(k)));
            if (ClfsLog.exists(after, DIR)) {
                try (ClfsLog log = ClfsLog.open(after, DIR)) {
                    log.stream().flush(log.stream().append(new byte[]{1}));
                }
            } else {
                ClfsLog.create(after, DIR, LogKind.DEDICATED, true, SMALL).close(); // a new creation replaces the leftovers
            }
            try (ClfsLog log = ClfsLog.open(after, DIR)) {
                assertThat(log.stream().lastLsn()).as("crash at I/O call %d", k).isNotEqualTo(0L);
            }
        }
    }

    private static long creationCalls() {
        SimulatedDisk disk = new SimulatedDisk();
        try (ClfsLog log = ClfsLog.create(disk, DIR, LogKind.DEDICATED, true, SMALL)) {
            return disk.ioCalls(); // creating and opening it, not closing it
        }
    }
}

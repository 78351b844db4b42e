package io.clfs.log;

import io.clfs.log.io.SimulatedDisk;
import io.clfs.log.io.SimulatedDisk.Loss;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A failed fsync at every {@code force} of the crash workload, as Linux fails one after a writeback
 * error: the writer stops, its process restarts, and the unforced data is still readable through the
 * page cache though it never reached the disk and no later fsync will write it. The next writer's
 * recovery reports what it found; a client (the sink) treats that as durable and seeks past it, so
 * a power loss right after must keep every record of it.
 */
class FailedForceRecoveryTest {
    private static final long SEED = 0xF5F5_C1F5L;
    private static final long TOTAL_BYTES = 2_000_000;
    private static final int MAX_REPORTED = 5;

    private record Run(SimulatedDisk disk, ClfsLog log, CrashWorkload workload, long forces) {
    }

    /** Runs the workload on a new log; the {@code failingForce}-th force of it fails (none when negative). */
    private static Run run(long failingForce) {
        SimulatedDisk disk = new SimulatedDisk();
        ClfsLog log = CrashWorkload.createLog(disk);
        CrashWorkload w = new CrashWorkload(SEED, TOTAL_BYTES, log);
        long start = disk.forces();
        if (failingForce >= 0) {
            disk.failForce(failingForce);
        }
        w.run(log);
        return new Run(disk, log, w, disk.forces() - start);
    }

    @Test
    void recoveryAfterAFailedForceVouchesOnlyForDurableRecords() {
        long forces = run(-1).forces;
        assertThat(forces).as("forces of the workload").isGreaterThan(100);
        List<String> failures = new ArrayList<>();
        for (long f = 0; f < forces && failures.size() < MAX_REPORTED; f++) {
            try {
                check(run(f), f);
            } catch (AssertionError | RuntimeException e) {
                failures.add("failed force " + f + " of " + forces + ": " + e);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " failing point(s) (stopped after " + MAX_REPORTED + "):\n"
                    + String.join("\n", failures));
        }
    }

    private static void check(Run r, long seed) {
        assertThat(r.log.failed()).as("the writer stopped at the failed force").isTrue();
        r.disk.restartProcess();
        ClfsLog reopened = ClfsLog.open(r.disk, CrashWorkload.DIR);
        Recovered present = Recovered.of(reopened);
        present.check(r.workload.expected);
        ClfsLog afterLoss = ClfsLog.open(new SimulatedDisk(r.disk.crash(Loss.TORN, new Random(seed))),
                CrashWorkload.DIR);
        assertThat(Recovered.of(afterLoss)).as("power loss after recovery from a failed force").isEqualTo(present);
    }
}

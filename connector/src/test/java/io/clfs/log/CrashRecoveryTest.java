package io.clfs.log;

import io.clfs.log.io.SimulatedDisk;
import io.clfs.log.io.SimulatedDisk.Loss;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Power loss at every I/O call of a workload: for each crash point, several durable images (all
 * pending writes lost, all kept, and randomly kept, dropped or torn per sector) are reopened and
 * checked against what the client was acknowledged. A sample of them also loses power at every
 * I/O call of the recovery itself.
 */
class CrashRecoveryTest {
    private static final long SEED = 0x5EED_C1F5L;
    /** Enough volume for about five logical containers in at most four files: growth, recycling, shrinking. */
    private static final long TOTAL_BYTES = 2_000_000;
    /** Every this-many crash points, one image also crashes at every call of its recovery. */
    private static final int RECOVERY_CRASH_STRIDE = 50;
    private static final int MAX_REPORTED = 5;

    private record Run(SimulatedDisk disk, Expected expected, long calls) {
    }

    /** Creates a log on a fresh disk (not a crash point), then runs the workload, losing power after {@code crashAfter} calls. */
    private static Run run(long crashAfter) {
        SimulatedDisk disk = new SimulatedDisk();
        ClfsLog log = ClfsLog.create(disk, CrashWorkload.DIR, LogKind.DEDICATED, true, CrashWorkload.POLICY);
        CrashWorkload w = new CrashWorkload(SEED, TOTAL_BYTES, log.stream().baseLsn());
        long start = disk.ioCalls();
        if (crashAfter >= 0) {
            disk.crashAfter(crashAfter);
        }
        w.run(log);
        if (crashAfter >= 0) {
            assertThat(disk.frozen()).as("crash point %d lies inside the workload", crashAfter).isTrue();
        }
        return new Run(disk, w.expected, disk.ioCalls() - start);
    }

    @Test
    void workloadGrowsRecyclesAndShrinksContainers() {
        Run full = run(-1);
        ClfsLog log = ClfsLog.open(new SimulatedDisk(full.disk.crash(Loss.KEEP_ALL, new Random(1))),
                CrashWorkload.DIR);
        LogInfo info = log.info();
        long newestLogical = info.containers().stream().mapToLong(LogInfo.ContainerInfo::logicalId).max().orElseThrow();
        System.out.printf("workload: %d calls, %d records, %d acked, newest logical %d, containers %s, restarts %d, bases %d, archive %d%n",
                full.calls, full.expected.records.size(), full.expected.acked, newestLogical, info.containers(),
                full.expected.records.stream().filter(r -> r.type == RecordType.RESTART).count(),
                full.expected.bases.size(), full.expected.archiveTails.size());
        assertThat(newestLogical).as("logical containers used").isGreaterThanOrEqualTo(5);
        assertThat(full.calls).as("I/O calls of the workload").isBetween(1000L, 6000L);
        assertThat(full.expected.records.stream().filter(r -> r.type == RecordType.RESTART)).hasSizeGreaterThan(10);
        assertThat(full.expected.bases.size()).isGreaterThan(10);
        assertThat(full.expected.archiveTails.size()).isGreaterThan(10);
        Recovered.of(log).check(full.expected);
    }

    @Test
    void everyCrashPointRecoversToAnAcknowledgedPrefix() {
        Run full = run(-1);
        List<String> failures = new ArrayList<>();
        long images = 0;
        long recoveryCrashes = 0;
        long started = System.nanoTime();
        for (long k = 0; k <= full.calls && failures.size() < MAX_REPORTED; k++) {
            Run r = k == full.calls ? full : run(k);
            // Every point: one random image; the extremes (nothing kept, everything kept) alternate.
            List<Loss> losses = List.of(Loss.TORN, k % 2 == 0 ? Loss.DROP_ALL : Loss.KEEP_ALL);
            for (int i = 0; i < losses.size(); i++) {
                long seed = k * 31 + i;
                Loss loss = losses.get(i);
                boolean crashRecovery = i == 0 && k % RECOVERY_CRASH_STRIDE == 0;
                try {
                    SimulatedDisk.Image image = r.disk.crash(loss, new Random(seed));
                    images++;
                    recoveryCrashes += checkRecovery(image, r.expected, seed, crashRecovery);
                } catch (AssertionError | RuntimeException e) {
                    failures.add("crash point " + k + " of " + full.calls + ", " + loss + ", seed " + seed + ": " + e);
                    if (failures.size() == 1) {
                        e.printStackTrace();
                    }
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " failing crash image(s) (stopped after " + MAX_REPORTED + "):\n"
                    + String.join("\n", failures));
        }
        System.out.printf("crash points: %d, crash images recovered: %d, recoveries crashed: %d, in %d ms%n",
                full.calls + 1, images, recoveryCrashes, (System.nanoTime() - started) / 1_000_000);
    }

    private static long checkRecovery(SimulatedDisk.Image image, Expected expected, long seed, boolean crashRecovery) {
        SimulatedDisk disk = new SimulatedDisk(image);
        ClfsLog log = ClfsLog.open(disk, CrashWorkload.DIR);
        long openCalls = disk.ioCalls();
        Recovered first = Recovered.of(log);
        int survived = first.check(expected);

        // Power lost again right after recovery: the second recovery finds the same log.
        ClfsLog again = ClfsLog.open(new SimulatedDisk(disk.crash(Loss.TORN, new Random(seed + 1))), CrashWorkload.DIR);
        assertThat(Recovered.of(again)).as("recovery is idempotent").isEqualTo(first);
        first.checkWriterContinues(again, expected, survived);

        if (!crashRecovery) {
            return 0;
        }
        for (long j = 0; j < openCalls; j++) {
            SimulatedDisk d = new SimulatedDisk(image);
            d.crashAfter(j);
            assertThatThrownBy(() -> ClfsLog.open(d, CrashWorkload.DIR)).as("open losing power at call %d", j)
                    .isInstanceOf(ClfsException.class);
            ClfsLog reopened = ClfsLog.open(new SimulatedDisk(d.crash(Loss.TORN, new Random(seed + j))),
                    CrashWorkload.DIR);
            Recovered after = Recovered.of(reopened);
            after.check(expected);
            assertThat(after).as("after a crash at call %d of recovery", j).isEqualTo(first);
        }
        return openCalls;
    }
}

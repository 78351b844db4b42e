package io.clfs.log;

import io.clfs.log.io.SimulatedDisk;
import io.clfs.log.io.SimulatedDisk.Loss;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Power loss at every I/O call of a workload. For each crash point, durable images (pending writes
 * torn at random per sector; or all lost, all kept, or kept or lost whole) are recovered and
 * checked against what the client was acknowledged; the torn image is also recovered twice, written
 * on by a second writer that loses power in turn, and (for a sample of points) loses power at
 * every I/O call of its recovery. At every fourth point the process dies instead of the machine.
 */
class CrashRecoveryTest {
    private static final long SEED = 0x5EED_C1F5L;
    /** Enough volume for about five logical containers in at most four files: growth, recycling, shrinking. */
    private static final long TOTAL_BYTES = 2_000_000;
    /** Every this-many crash points, one image also crashes at every call of its recovery. */
    private static final int RECOVERY_CRASH_STRIDE = 100;
    private static final int MAX_REPORTED = 5;
    /** The writer after a recovery goes on for about this much, and loses power at a random call of it. */
    private static final long SECOND_BYTES = 200_000;
    private static final int SECOND_CRASH_CALLS = 260;

    private record Run(SimulatedDisk disk, Expected expected, long calls, long created, long deleted) {
    }

    /** Creates a log on a fresh disk (not a crash point), then runs the workload, losing power after {@code crashAfter} calls. */
    private static Run run(long crashAfter) {
        SimulatedDisk disk = new SimulatedDisk();
        ClfsLog log = CrashWorkload.createLog(disk);
        CrashWorkload w = new CrashWorkload(SEED, TOTAL_BYTES, log);
        long start = disk.ioCalls();
        long created = disk.filesCreated();
        long deleted = disk.filesDeleted();
        if (crashAfter >= 0) {
            disk.crashAfter(crashAfter);
        }
        w.run(log);
        if (crashAfter >= 0) {
            assertThat(disk.frozen()).as("crash point %d lies inside the workload", crashAfter).isTrue();
        }
        return new Run(disk, w.expected, disk.ioCalls() - start, disk.filesCreated() - created,
                disk.filesDeleted() - deleted);
    }

    @Test
    void workloadGrowsRecyclesAndShrinksContainers() {
        Run full = run(-1);
        ClfsLog log = ClfsLog.open(new SimulatedDisk(full.disk.crash(Loss.KEEP_ALL, new Random(1))),
                CrashWorkload.DIR);
        LogInfo info = log.info();
        long newestLogical = info.containers().stream().mapToLong(LogInfo.ContainerInfo::logicalId).max().orElseThrow();
        System.out.printf("workload: %d I/O calls, %d records, %d files created, %d deleted, containers %s%n",
                full.calls, full.expected.records.size(), full.created, full.deleted, info.containers());
        assertThat(newestLogical).as("logical containers used").isGreaterThanOrEqualTo(5);
        assertThat(full.calls).as("I/O calls of the workload").isBetween(1000L, 6000L);
        assertThat(full.created).as("containers grown").isPositive();
        assertThat(full.deleted).as("containers shrunk").isPositive();
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
            // Every point: one image torn at random; the other policies take turns, and every
            // fourth point the process dies instead, leaving the machine (and its unforced writes).
            Loss other = List.of(Loss.DROP_ALL, Loss.KEEP_ALL, Loss.WHOLE_WRITES).get((int) (k % 3));
            List<Loss> losses = List.of(Loss.TORN, other);
            for (int i = 0; i < losses.size(); i++) {
                if (i == 1 && k % 4 == 3) {
                    try {
                        checkProcessCrash(r, k * 31 + i);
                        images++;
                    } catch (AssertionError | RuntimeException e) {
                        failures.add("crash point " + k + " of " + full.calls + ", process crash: " + e);
                    }
                    continue;
                }
                long seed = k * 31 + i;
                Loss loss = losses.get(i);
                boolean crashRecovery = i == 0 && k % RECOVERY_CRASH_STRIDE == 0;
                try {
                    SimulatedDisk.Image image = r.disk.crash(loss, new Random(seed));
                    images++;
                    recoveryCrashes += checkRecovery(image, r.expected, seed, i == 0, crashRecovery);
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

    /**
     * Recovers {@code image} and checks it; {@code thorough} adds a second recovery after another
     * power loss and a second writer that crashes in turn; {@code crashRecovery} loses power at
     * every I/O call of the recovery. Returns the number of recovery crash points run.
     */
    private static long checkRecovery(SimulatedDisk.Image image, Expected expected, long seed, boolean thorough,
                                      boolean crashRecovery) {
        SimulatedDisk disk = new SimulatedDisk(image);
        ClfsLog log = ClfsLog.open(disk, CrashWorkload.DIR);
        long openCalls = disk.ioCalls();
        Recovered first = Recovered.of(log);
        int survived = first.check(expected);

        if (thorough) {
            // Power lost again right after recovery: the second recovery finds the same log.
            ClfsLog again = ClfsLog.open(new SimulatedDisk(disk.crash(Loss.TORN, new Random(seed + 1))),
                    CrashWorkload.DIR);
            assertThat(Recovered.of(again)).as("recovery is idempotent").isEqualTo(first);
            first.checkWriterContinues(again, expected, survived);
        } else {
            first.checkWriterContinues(log, expected, survived);
        }
        if (thorough) {
            checkSecondCrash(image, expected, survived, first, seed);
        }

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

    /**
     * The writer's process dies at the crash point but the machine runs on: the next writer
     * recovers from files whose last writes may still be unforced, must make what it vouches for
     * durable, and a power loss right after must not take any of it away.
     */
    private static void checkProcessCrash(Run r, long seed) {
        r.disk.restartProcess();
        ClfsLog log = ClfsLog.open(r.disk, CrashWorkload.DIR);
        Recovered recovered = Recovered.of(log);
        recovered.check(r.expected);
        ClfsLog again = ClfsLog.open(new SimulatedDisk(r.disk.crash(Loss.TORN, new Random(seed))), CrashWorkload.DIR);
        assertThat(Recovered.of(again)).as("power loss after recovery from a process crash").isEqualTo(recovered);
    }

    /**
     * A writer recovers the image, writes records shaped like the lost ones (so that its blocks land
     * where the first writer's did, with the same sequence numbers), writes on, and loses power
     * again. Blocks of the first writer that survived past the recovered end lie exactly where the
     * chain goes next: they must never come back.
     */
    private static void checkSecondCrash(SimulatedDisk.Image image, Expected expected, int survived, Recovered first,
                                         long seed) {
        Random random = new Random(seed ^ 0x2D2D);
        SimulatedDisk disk = new SimulatedDisk(image);
        ClfsLog log = ClfsLog.open(disk, CrashWorkload.DIR);
        Expected next = Expected.afterRecovery(expected, survived, first);
        List<Expected.Rec> lost = expected.records.subList(survived, expected.records.size());
        // Mostly within the replay of the lost records, where the first writer's stray blocks are.
        disk.crashAfter(random.nextInt(4) == 0 ? random.nextInt(SECOND_CRASH_CALLS) : random.nextInt(3 * lost.size() + 12));
        new CrashWorkload(seed, SECOND_BYTES, next).run(log, lost);
        ClfsLog again = ClfsLog.open(new SimulatedDisk(disk.crash(Loss.TORN, random)), CrashWorkload.DIR);
        Recovered second = Recovered.of(again);
        int survivedSecond = second.check(next);
        second.checkWriterContinues(again, next, survivedSecond);
        for (Expected.Rec gone : lost) {
            if (gone.lsn == Lsn.INVALID) {
                continue;
            }
            try {
                assertThat(Arrays.equals(again.stream().read(gone.lsn).bytes(), gone.payload))
                        .as("first writer's lost %s read back", gone).isFalse();
            } catch (NotARecordException | LsnBelowTailsException expectedWhenGone) {
                // as it should be
            }
        }
    }
}

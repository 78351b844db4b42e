package io.clfs.log;

import io.clfs.log.io.SimulatedDisk;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * A deterministic client of a dedicated, archived log: appends of varying sizes (some larger than
 * a block), flushes, forced appends, restart areas (some moving the base), base and archive-tail
 * moves, with enough volume that containers are grown, recycled and shrunk. Every call that
 * returned is recorded in {@link #expected} as acknowledged. The same seed makes the same calls,
 * so that a run cut short by a crash point is a prefix of the full run.
 */
final class CrashWorkload {
    static final Path DIR = Path.of("/sim/log");
    static final LogPolicy POLICY = LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096)
            .withContainers(2, 4).withAutoShrinkPercent(30);
    /**
     * Tails trail the acknowledged end by this many records, and move only now and then: they pin
     * one to two containers, so that the log grows, yet few records are readable (every crash image
     * reads all of them).
     */
    private static final int BASE_LAG = 120;
    private static final int ARCHIVE_LAG = 250;

    final Expected expected;
    private final Random random;
    private final long totalBytes;
    private long appendedBytes;
    private LogStream stream;

    CrashWorkload(long seed, long totalBytes, Expected expected) {
        this.random = new Random(seed);
        this.totalBytes = totalBytes;
        this.expected = expected;
    }

    /** A workload for a log nothing was appended to yet: the expected tails are where the log starts. */
    CrashWorkload(long seed, long totalBytes, ClfsLog newLog) {
        this(seed, totalBytes, new Expected(newLog.stream().baseLsn(), newLog.stream().baseLsn()));
    }

    /** Creates the workload's log on {@code disk} (not a crash point: creating a log is outside what the crash tests cover). */
    static ClfsLog createLog(SimulatedDisk disk) {
        return ClfsLog.create(disk, DIR, LogKind.DEDICATED, true, POLICY);
    }

    /**
     * Runs to the end and closes the log, or stops where the log fails because the disk lost power:
     * an I/O failure ends the run, anything else is a bug that propagates.
     */
    void run(ClfsLog log) {
        run(log, List.of());
    }

    /**
     * As {@link #run(ClfsLog)}, first appending records of the same types and sizes as
     * {@code replay}, sealing blocks where they were sealed: blocks then fall exactly where a
     * crashed writer's blocks were, with the same sequence numbers.
     */
    void run(ClfsLog log, List<Expected.Rec> replay) {
        stream = log.stream();
        try {
            for (Expected.Rec r : replay) {
                replay(r);
            }
            while (appendedBytes < totalBytes) {
                step();
                noteSeal();
            }
            log.close();
            if (expected.last() != null) {
                expected.ackThrough(expected.last().index); // close makes everything durable
            }
        } catch (LogFullException e) {
            throw new AssertionError("the workload must keep its tails moving: " + e.getMessage(), e);
        } catch (ClfsException e) {
            if (!log.failed() && !(e instanceof ClfsIOException)) {
                throw e;
            }
        }
    }

    private void step() {
        int r = random.nextInt(1000);
        if (r < 840) {
            append(false);
        } else if (r < 860) {
            append(true);
        } else if (r < 940) {
            flush();
        } else if (r < 952) {
            restartArea();
        } else if (r < 962) {
            moveBase();
        } else if (r < 974) {
            moveArchiveTail();
        } else if (r < 980) {
            moveBothTails();
        } else {
            append(false);
        }
    }

    private void replay(Expected.Rec r) {
        Expected.Rec rec = expected.add(r.type, r.payload.length);
        ByteBuffer data = ByteBuffer.wrap(rec.payload);
        if (r.type == RecordType.RESTART) {
            rec.lsn = stream.writeRestartArea(data);
            expected.restartAcked = rec.index;
            expected.ackThrough(rec.index);
            return;
        }
        rec.lsn = stream.append(data);
        if (r.sealedAfter) {
            stream.log().flush();
            expected.ackThrough(rec.index);
        }
    }

    /** Notes whether the last record's block went to disk, so that a replay can seal at the same place. */
    private void noteSeal() {
        Expected.Rec last = expected.last();
        if (last != null && last.lsn != Lsn.INVALID && Lsn.less(last.lsn, stream.durableEnd())) {
            last.sealedAfter = true;
        }
    }

    private int payloadSize() {
        int r = random.nextInt(100);
        if (r < 80) {
            return 4 + random.nextInt(600);
        }
        if (r < 96) {
            return 600 + random.nextInt(2400);
        }
        return 3000 + random.nextInt(9000); // spans several blocks' worth: gets a block of its own
    }

    private void append(boolean forced) {
        Expected.Rec rec = expected.add(RecordType.DATA, payloadSize());
        appendedBytes += rec.payload.length;
        ByteBuffer data = ByteBuffer.wrap(rec.payload);
        rec.lsn = forced ? stream.appendForced(data) : stream.append(data);
        if (forced) {
            expected.ackThrough(rec.index);
        }
    }

    private void flush() {
        Expected.Rec last = expected.last();
        if (last == null) {
            return;
        }
        if (random.nextBoolean()) {
            stream.log().flush();
            expected.ackThrough(last.index);
        } else {
            // Flush through a recent record that may already be durable, or still in the open block.
            Expected.Rec target = expected.records.get(Math.max(0, last.index - random.nextInt(8)));
            stream.flush(target.lsn);
            expected.ackThrough(target.index);
        }
    }

    private void restartArea() {
        Expected.Rec rec = expected.add(RecordType.RESTART, 16 + random.nextInt(200));
        long newBase = random.nextBoolean() ? tailTarget(BASE_LAG, stream.baseLsn()) : Lsn.INVALID;
        if (newBase != Lsn.INVALID) {
            expected.bases.add(newBase);
        }
        ByteBuffer data = ByteBuffer.wrap(rec.payload);
        rec.lsn = newBase == Lsn.INVALID ? stream.writeRestartArea(data) : stream.writeRestartArea(data, newBase);
        expected.ackThrough(rec.index);
        expected.restartAcked = rec.index;
        if (newBase != Lsn.INVALID) {
            expected.basesAcked = expected.bases.size() - 1;
        }
    }

    private void moveBase() {
        long target = baseTarget();
        if (target == Lsn.INVALID) {
            return;
        }
        expected.bases.add(target);
        stream.advanceBase(target);
        expected.basesAcked = expected.bases.size() - 1;
    }

    private void moveArchiveTail() {
        long target = archiveTarget();
        if (target == Lsn.INVALID) {
            return;
        }
        expected.archiveTails.add(target);
        stream.setArchiveTail(target);
        expected.archiveTailsAcked = expected.archiveTails.size() - 1;
    }

    /** Both tails in one metadata write (whichever of them has somewhere to go). */
    private void moveBothTails() {
        long base = baseTarget();
        long archive = archiveTarget();
        if (base == Lsn.INVALID && archive == Lsn.INVALID) {
            return;
        }
        if (base != Lsn.INVALID) {
            expected.bases.add(base);
        }
        if (archive != Lsn.INVALID) {
            expected.archiveTails.add(archive);
        }
        stream.moveTails(base, archive);
        expected.basesAcked = expected.bases.size() - 1;
        expected.archiveTailsAcked = expected.archiveTails.size() - 1;
    }

    /** The base stays at or below the newest acknowledged restart area, so that it stays readable. */
    private long baseTarget() {
        if (expected.restartAcked < 0) {
            return Lsn.INVALID;
        }
        long target = Lsn.min(tailTarget(BASE_LAG, stream.baseLsn()),
                expected.records.get(expected.restartAcked).lsn);
        return Lsn.less(stream.baseLsn(), target) ? target : Lsn.INVALID;
    }

    private long archiveTarget() {
        if (appendedBytes > totalBytes * 35 / 100 && appendedBytes < totalBytes * 55 / 100) {
            return Lsn.INVALID; // the archiver stalls for a while: the log grows, and shrinks when it catches up
        }
        return tailTarget(ARCHIVE_LAG, stream.archiveTail());
    }

    /** An acknowledged record {@code lag} records behind the acknowledged end, if above {@code current}. */
    private long tailTarget(int lag, long current) {
        int index = expected.acked - 1 - lag;
        if (index < 0) {
            return Lsn.INVALID;
        }
        long lsn = expected.records.get(index).lsn;
        return Lsn.less(current, lsn) ? lsn : Lsn.INVALID;
    }
}

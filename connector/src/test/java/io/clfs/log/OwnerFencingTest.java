package io.clfs.log;

import io.clfs.log.engine.MetadataStore;
import io.clfs.log.io.DelegatingFileIO;
import io.clfs.log.io.FileIO;
import io.clfs.log.io.LockHandle;
import io.clfs.log.io.SimulatedDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two writers on one log whose owner lock does not exclude (a lock that is not reliable across
 * hosts): the newer one fences the older on the data path, and sees everything the older acknowledged.
 */
class OwnerFencingTest {
    private static final LogPolicy SMALL = LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096);

    @TempDir
    Path dir;

    /** The disk, with an owner lock that every writer gets. */
    static class NoOwnerLock extends DelegatingFileIO {
        NoOwnerLock(FileIO disk) {
            super(disk);
        }

        @Override
        public LockHandle lock(Path lockFile, boolean wait) throws IOException {
            return lockFile.getFileName().toString().equals("clfs.lock") ? () -> { } : super.lock(lockFile, wait);
        }
    }

    private static ByteBuffer record(int i) {
        return ByteBuffer.wrap(new byte[]{(byte) i, (byte) (i >> 8)});
    }

    @Test
    void aFencedWritersFlushFailsAndTheNewOwnerSeesEverythingItAcknowledged() {
        FileIO io = new NoOwnerLock(FileIO.real());
        ClfsLog.create(io, dir, LogKind.DEDICATED, false, SMALL).close();
        List<Long> acknowledged = new ArrayList<>();
        ClfsLog old = ClfsLog.open(io, dir);
        for (int i = 0; i < 20; i++) {
            acknowledged.add(old.stream().appendForced(record(i)));
        }
        long unacknowledged = old.stream().append(record(99).array());
        try (ClfsLog newer = ClfsLog.open(io, dir)) {
            for (int i = 0; i < acknowledged.size(); i++) {
                assertThat(newer.stream().read(acknowledged.get(i)).bytes()).isEqualTo(record(i).array());
            }
            assertThatThrownBy(() -> old.stream().flush(unacknowledged)).isInstanceOf(OwnerFencedException.class)
                    .hasMessageContaining("newer writer");
            assertThat(old.failed()).isTrue();
            assertThatThrownBy(() -> old.stream().appendForced(record(100))).isInstanceOf(ClfsException.class)
                    .hasMessageContaining("must be reopened");
            long mine = newer.stream().appendForced(record(200));
            assertThat(newer.stream().read(mine).bytes()).isEqualTo(record(200).array());
        } finally {
            if (old != null) {
                old.close();
            }
        }
    }

    /**
     * The disk with an owner lock every writer gets, counting the calls that change it (writes,
     * forces, directory syncs) and running {@code atCall} once, just before call {@code k}; or, when
     * call {@code k} comes while the metadata lock is held, right after its release (a newer owner
     * waits for that lock, which works).
     */
    static final class Interleaved extends NoOwnerLock {
        private final long k;
        private final Runnable atCall;
        private long calls;
        private boolean metadataLocked;
        private boolean due;

        Interleaved(FileIO disk, long k, Runnable atCall) {
            super(disk);
            this.k = k;
            this.atCall = atCall;
        }

        private void call() {
            if (calls++ == k) {
                if (metadataLocked) {
                    due = true;
                } else {
                    atCall.run();
                }
            }
        }

        @Override
        public LockHandle lock(Path lockFile, boolean wait) throws IOException {
            if (!lockFile.getFileName().toString().equals(MetadataStore.LOCK_FILE)) {
                return super.lock(lockFile, wait);
            }
            LockHandle held = super.lock(lockFile, wait);
            metadataLocked = true;
            return () -> {
                held.close();
                metadataLocked = false;
                if (due) {
                    due = false;
                    atCall.run();
                }
            };
        }

        @Override
        protected void beforeChange() {
            call();
        }

        long calls() {
            return calls;
        }
    }

    /** What one interleaving left: O's acknowledged records in order, how many after N opened, what N saw. */
    private record Outcome(SimulatedDisk disk, List<String> acknowledged, int acknowledgedAfterFence,
                           List<String> newOwnerSaw, long calls) {
    }

    private static final int RECORDS = 120;

    /**
     * O opens the log, appends and flushes (every third record forced, a restart area every 40) and closes it;
     * just before its I/O call {@code k} (never, when negative), N opens the log, reads it whole and
     * closes it.
     */
    private static Outcome interleave(long k) {
        SimulatedDisk disk = new SimulatedDisk();
        ClfsLog.create(disk, CrashWorkload.DIR, LogKind.DEDICATED, false, CrashWorkload.POLICY).close();
        List<String> saw = new ArrayList<>();
        boolean[] fenced = {false};
        Interleaved io = new Interleaved(disk, k, () -> {
            fenced[0] = true;
            try (ClfsLog newer = ClfsLog.open(new NoOwnerLock(disk), CrashWorkload.DIR)) {
                saw.addAll(dataRecords(newer));
            }
        });
        OlderOwner o = runOlderOwner(io, RECORDS, 300, 40, () -> fenced[0], new ArrayList<>());
        return new Outcome(disk, o.acknowledged, o.acknowledgedAfterNewer, saw, io.calls);
    }

    /** What the older owner's workload left: the records its flushes acknowledged, and how many of them came after the newer owner opened. */
    record OlderOwner(List<String> acknowledged, int acknowledgedAfterNewer) {
    }

    /**
     * The older owner's workload on {@code io}: opens the log, appends {@code records} records (the
     * i-th {@code size + i} bytes, first byte i), flushes every third and writes a restart area every
     * {@code restartEvery}-th, each name added to {@code appended}, and closes it. Failing is right
     * only once {@code newerOpened} says a newer owner opened the log.
     */
    static OlderOwner runOlderOwner(FileIO io, int records, int size, int restartEvery, BooleanSupplier newerOpened,
                                    List<String> appended) {
        List<String> acknowledged = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        int afterNewer = 0;
        try (ClfsLog old = ClfsLog.open(io, CrashWorkload.DIR)) {
            for (int i = 0; i < records; i++) {
                byte[] r = new byte[size + i];
                r[0] = (byte) i;
                old.stream().append(r);
                appended.add(name(r));
                pending.add(name(r));
                if (i % 3 == 2) {
                    old.stream().flush(Lsn.INVALID);
                    afterNewer += newerOpened.getAsBoolean() ? pending.size() : 0;
                    acknowledged.addAll(pending);
                    pending.clear();
                }
                if (i % restartEvery == restartEvery - 1) {
                    old.stream().writeRestartArea(ByteBuffer.wrap(new byte[]{(byte) i}));
                }
            }
        } catch (ClfsException e) { // from open, a flush, a restart area, or the close's metadata write
            assertThat(newerOpened.getAsBoolean()).as("O failed (%s) without being fenced", e).isTrue();
        }
        return new OlderOwner(acknowledged, afterNewer);
    }

    /** The data records from the tail, each named by its first byte and length (unique in this workload). */
    static List<String> dataRecords(ClfsLog log) {
        List<String> out = new ArrayList<>();
        try (ReadContext c = log.stream().readFromTail(RecordFilter.DATA)) {
            for (LogRecord r = c.next(); r != null; r = c.next()) {
                out.add(name(r.bytes()));
            }
        }
        return out;
    }

    static String name(byte[] r) {
        return (r[0] & 0xff) + "/" + r.length;
    }

    @Test
    void atEveryIoCallOfTheOlderOwnerTheNewerSeesAllItAcknowledgedAndFencesTheRest() {
        long calls = interleave(-1).calls;
        assertThat(calls).as("I/O calls of O's workload").isGreaterThan(50);
        for (long k = 0; k < calls; k++) {
            Outcome o = interleave(k);
            assertThat(o.acknowledgedAfterFence).as("records O acknowledged after N's fence, k=%d", k).isZero();
            assertStartsWithAcknowledged(o.newOwnerSaw, o.acknowledged, "what N saw at k=" + k);
            for (SimulatedDisk.Loss loss : List.of(SimulatedDisk.Loss.TORN, SimulatedDisk.Loss.DROP_ALL)) {
                SimulatedDisk after = new SimulatedDisk(o.disk.crash(loss, new Random(k)));
                try (ClfsLog log = ClfsLog.open(after, CrashWorkload.DIR)) {
                    assertStartsWithAcknowledged(dataRecords(log), o.acknowledged, "after a crash (" + loss
                            + ") at k=" + k);
                }
            }
        }
    }

    @Test
    void aFlushOfTheOlderOwnerAtEveryIoCallOfTheNewersOpenIsSeenByItOrFails() {
        boolean[] ran = {true};
        long k = 0;
        for (; ran[0]; k++) {
            ran[0] = false;
            SimulatedDisk disk = new SimulatedDisk();
            ClfsLog.create(disk, CrashWorkload.DIR, LogKind.DEDICATED, false, CrashWorkload.POLICY).close();
            List<String> acknowledged = new ArrayList<>();
            try (ClfsLog old = ClfsLog.open(new NoOwnerLock(disk), CrashWorkload.DIR)) {
                for (int i = 0; i < 6; i++) {
                    byte[] r = new byte[300 + i];
                    r[0] = (byte) i;
                    old.stream().append(r);
                    if (i == 2) {
                        old.stream().flush(Lsn.INVALID);
                        acknowledged.add("0/300");
                        acknowledged.add("1/301");
                        acknowledged.add("2/302");
                    }
                }
                Interleaved io = new Interleaved(disk, k, () -> {
                    ran[0] = true;
                    try {
                        old.stream().flush(Lsn.INVALID);
                        acknowledged.addAll(List.of("3/303", "4/304", "5/305"));
                    } catch (OwnerFencedException e) {
                        assertThat(old.failed()).isTrue();
                    }
                });
                try (ClfsLog newer = ClfsLog.open(io, CrashWorkload.DIR)) {
                    assertStartsWithAcknowledged(dataRecords(newer), acknowledged, "what N saw, O flushing at k=" + k);
                }
            } catch (OwnerFencedException e) {
                assertThat(e).as("only O's close is refused").hasMessageContaining("newer writer");
            }
        }
        assertThat(k).as("I/O calls of N's open, plus the run past them").isGreaterThan(3);
    }

    /** Every acknowledged record, once, in order, then at most records written but never acknowledged. */
    private static void assertStartsWithAcknowledged(List<String> found, List<String> acknowledged, String what) {
        assertThat(found.size()).as("records in %s", what).isGreaterThanOrEqualTo(acknowledged.size());
        assertThat(found.subList(0, acknowledged.size())).as(what).containsExactlyElementsOf(acknowledged);
    }
}

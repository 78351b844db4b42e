package io.clfs.log;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * What a client appended to one stream and what the log acknowledged: the reference a recovered
 * log is checked against. A call counts as acknowledged only when it returned.
 */
final class Expected {
    /** One appended record. Its LSN stays {@link Lsn#INVALID} when the append never returned. */
    static final class Rec {
        final int index;
        final RecordType type;
        final byte[] payload;
        long lsn = Lsn.INVALID;
        /** The block holding this record, the last one appended then, was sealed and written before the next append. */
        boolean sealedAfter;

        Rec(int index, RecordType type, byte[] payload) {
            this.index = index;
            this.type = type;
            this.payload = payload;
        }

        @Override
        public String toString() {
            return type + "#" + index + "@" + (lsn == Lsn.INVALID ? "?" : Lsn.toString(lsn));
        }
    }

    /** Random bytes that payloads are cut from: cheaper than a fresh random fill per record. */
    private static final byte[] POOL = new byte[1 << 16];

    static {
        new Random(0xC1F5).nextBytes(POOL);
    }

    final List<Rec> records = new ArrayList<>();
    /** Records [0, acked) are acknowledged durable. */
    int acked;
    /** Index of the newest restart record whose writeRestartArea returned, or -1. */
    int restartAcked = -1;
    /** Every value a tail was asked to take, in order; values from the acknowledged one on may be on disk. */
    final List<Long> bases = new ArrayList<>();
    int basesAcked;
    final List<Long> archiveTails = new ArrayList<>();
    int archiveTailsAcked;

    /** Mixed into payloads, so that the records of a later writer never equal those of an earlier one. */
    private final int salt;

    Expected(long initialBase, long initialArchiveTail) {
        this(0, initialBase, initialArchiveTail);
    }

    private Expected(int salt, long initialBase, long initialArchiveTail) {
        this.salt = salt;
        bases.add(initialBase);
        archiveTails.add(initialArchiveTail);
    }

    /**
     * What a writer that recovered {@code r} starts from: the records that survived, all durable
     * now, and the recovered tails as acknowledged.
     */
    static Expected afterRecovery(Expected e, int survived, Recovered r) {
        Expected next = new Expected(e.salt + 1, r.base(), r.archiveTail());
        next.records.addAll(e.records.subList(0, survived));
        next.acked = survived;
        Rec restart = e.lastBefore(survived, RecordType.RESTART);
        next.restartAcked = restart == null ? -1 : restart.index;
        return next;
    }

    /**
     * A payload that names its record: the index and the writer's salt in the first eight bytes, so that a
     * record read back identifies which append it came from, then bytes that differ for every record.
     */
    Rec add(RecordType type, int size) {
        int index = records.size();
        byte[] payload = new byte[Math.max(size, 8)];
        int from = (index * 7919 + salt * 104_729) % POOL.length;
        for (int at = 0; at < payload.length; at += POOL.length - from, from = 0) {
            System.arraycopy(POOL, from, payload, at, Math.min(POOL.length - from, payload.length - at));
        }
        ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).putInt(0, index).putInt(4, salt);
        Rec r = new Rec(index, type, payload);
        records.add(r);
        return r;
    }

    /** The record a payload read back names, or null when it names none (an invented record). */
    Rec named(byte[] payload) {
        if (payload.length < 4) {
            return null;
        }
        int index = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (index < 0 || index >= records.size()) {
            return null;
        }
        Rec r = records.get(index);
        return Arrays.equals(r.payload, payload) ? r : null;
    }

    /** The index and writer salt a payload names, for messages. */
    static String describe(byte[] payload) {
        if (payload.length < 8) {
            return payload.length + " bytes";
        }
        ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        return "record #" + b.getInt(0) + " of writer " + b.getInt(4) + ", " + payload.length + " bytes";
    }

    /** Everything up to and including record {@code index} is durable. */
    void ackThrough(int index) {
        acked = Math.max(acked, index + 1);
    }

    /** The last record of {@code type} before {@code index}, or null. */
    Rec lastBefore(int index, RecordType type) {
        for (int i = index - 1; i >= 0; i--) {
            if (records.get(i).type == type) {
                return records.get(i);
            }
        }
        return null;
    }

    Rec last() {
        return records.isEmpty() ? null : records.get(records.size() - 1);
    }
}

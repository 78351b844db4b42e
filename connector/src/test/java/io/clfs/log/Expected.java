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

    Expected(long initialBase, long initialArchiveTail) {
        bases.add(initialBase);
        archiveTails.add(initialArchiveTail);
    }

    /**
     * A payload that names its record: the index in the first four bytes, so that a record read
     * back identifies which append it came from, then bytes that differ for every record.
     */
    Rec add(RecordType type, int size) {
        int index = records.size();
        byte[] payload = new byte[Math.max(size, 4)];
        int from = (index * 7919) % POOL.length;
        for (int at = 0; at < payload.length; at += POOL.length - from, from = 0) {
            System.arraycopy(POOL, from, payload, at, Math.min(POOL.length - from, payload.length - at));
        }
        ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).putInt(0, index);
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

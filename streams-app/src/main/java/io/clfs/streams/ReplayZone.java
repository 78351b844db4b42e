package io.clfs.streams;

import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.log.LogRecord;
import io.clfs.log.LogStream;
import io.clfs.log.LsnBelowTailsException;
import io.clfs.log.Lsn;
import io.clfs.log.ReadContext;
import io.clfs.log.ReadMode;
import io.clfs.log.RecordFilter;

/**
 * Finds the LSNs of redelivered records: after a crash or a rebalance Kafka hands a task again the
 * records after its last committed offset, some of which the journal already holds. A partition's
 * stream holds its records in offset order, and redelivered offsets arrive in increasing order, so
 * one walk back along the previous-LSN links finds the first of them and a forward read context
 * then serves the rest: no index, and memory independent of how many are redelivered.
 */
final class ReplayZone {
    private final LogStream stream;
    private final long lastDataLsn;
    private ReadContext forward;
    private LogRecord current;
    private long currentOffset = Long.MIN_VALUE;
    private long startOffset = Long.MAX_VALUE;

    /** {@code lastDataLsn}: the stream's newest data record, which must be durable. */
    ReplayZone(LogStream stream, long lastDataLsn) {
        this.stream = stream;
        this.lastDataLsn = lastDataLsn;
    }

    /** The LSN of the record journaled for {@code offset}, or {@link Lsn#INVALID} if none was. */
    long lsnOf(long offset) {
        if (forward == null || offset < startOffset) {
            start(offset);
        }
        while (current != null && currentOffset < offset) {
            current = forward.next();
            currentOffset = current == null ? Long.MAX_VALUE : offsetOf(current);
        }
        return current != null && currentOffset == offset ? current.lsn() : Lsn.INVALID;
    }

    /** Walks back from the newest record to the oldest one at or above {@code offset}, and reads forward from there. */
    private void start(long offset) {
        long first = Lsn.INVALID;
        try (ReadContext back = stream.read(lastDataLsn, ReadMode.PREVIOUS, RecordFilter.DATA)) {
            for (LogRecord r = back.next(); r != null; r = back.next()) {
                if (offsetOf(r) < offset) {
                    break;
                }
                first = r.lsn();
            }
        } catch (LsnBelowTailsException e) {
            // older records were released: the walk ends at the oldest one still readable
        }
        startOffset = offset;
        if (forward != null) {
            forward.close();
        }
        if (first == Lsn.INVALID) {
            forward = null;
            current = null;
            startOffset = Long.MAX_VALUE;
            return;
        }
        forward = stream.read(first, ReadMode.FORWARD, RecordFilter.DATA);
        current = forward.next();
        currentOffset = current == null ? Long.MAX_VALUE : offsetOf(current);
    }

    private static long offsetOf(LogRecord r) {
        return EnvelopeCodec.decodeFixed(r.data()).offset();
    }

    void close() {
        if (forward != null) {
            forward.close();
        }
    }
}

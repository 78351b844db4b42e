package io.clfs.log;

/**
 * Space reserved in a stream for records to be appended later (typically compensation records):
 * it counts as used, and an append from it never fails for lack of space. Close to release what
 * is left.
 */
public final class Reservation implements AutoCloseable {
    private final LogStream stream;
    private final long largestRecord;
    private long remaining;

    Reservation(LogStream stream, long bytes, long largestRecord) {
        this.stream = stream;
        this.remaining = bytes;
        this.largestRecord = largestRecord;
    }

    /** Bytes still reserved. */
    public synchronized long remaining() {
        return remaining;
    }

    long largestRecord() {
        return largestRecord;
    }

    LogStream stream() {
        return stream;
    }

    synchronized void consume(long bytes) {
        if (bytes > remaining) {
            throw new ReservationExceededException("append of " + bytes + " bytes (framing included) exceeds the "
                    + remaining + " bytes left in the reservation on stream '" + stream.name() + "'");
        }
        remaining -= bytes;
    }

    synchronized long takeRemaining() {
        long r = remaining;
        remaining = 0;
        return r;
    }

    @Override
    public void close() {
        stream.release(this);
    }
}

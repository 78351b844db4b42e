package io.clfs.log;

import io.clfs.log.engine.Reservations;

/**
 * Space reserved in a stream for records to be appended later (typically compensation records):
 * it counts as used, and an append from it never fails for lack of space. Close to release what
 * is left.
 */
public final class Reservation implements AutoCloseable {
    private final LogStream stream;
    private final Reservations.Grant grant;

    Reservation(LogStream stream, Reservations.Grant grant) {
        this.stream = stream;
        this.grant = grant;
    }

    /** Bytes still reserved. */
    public long remaining() {
        return grant.remaining();
    }

    LogStream stream() {
        return stream;
    }

    Reservations.Grant grant() {
        return grant;
    }

    @Override
    public void close() {
        stream.release(this);
    }
}

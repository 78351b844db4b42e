package io.clfs.connect.sink;

import org.apache.kafka.connect.errors.DataException;

/** A record whose envelope cannot fit one record of the log: it cannot be journaled, only dead-lettered. */
final class RecordTooLargeException extends DataException {
    private static final long serialVersionUID = 1L;

    RecordTooLargeException(String message) {
        super(message);
    }
}

package io.clfs.log;

/** The LSN is not the start of a record of that stream (or lies past the durable end). */
public class NotARecordException extends ClfsException {
    private static final long serialVersionUID = 1L;

    public NotARecordException(String message) {
        super(message);
    }
}

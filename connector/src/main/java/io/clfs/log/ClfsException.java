package io.clfs.log;

/** Base of every failure the engine reports. Messages name the log, the LSN or field, and what was expected. */
public class ClfsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClfsException(String message) {
        super(message);
    }

    public ClfsException(String message, Throwable cause) {
        super(message, cause);
    }
}

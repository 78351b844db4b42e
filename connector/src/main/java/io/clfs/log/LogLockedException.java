package io.clfs.log;

/** Another writer, in this process or another, holds the log. */
public class LogLockedException extends ClfsException {
    private static final long serialVersionUID = 1L;

    public LogLockedException(String message) {
        super(message);
    }
}

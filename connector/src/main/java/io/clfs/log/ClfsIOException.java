package io.clfs.log;

import java.io.IOException;

/**
 * An I/O error on the log's files. The writer is fail-stop: after one, nothing more is appended or
 * acknowledged until the log is reopened and recovered.
 */
public class ClfsIOException extends ClfsException {
    private static final long serialVersionUID = 1L;

    public ClfsIOException(String message, IOException cause) {
        super(message + ": " + cause, cause);
    }

    public ClfsIOException(String message) {
        super(message);
    }
}

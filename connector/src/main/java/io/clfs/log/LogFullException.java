package io.clfs.log;

/** No space for an append after growing and asking clients to advance their tails; the message names what pins the space. */
public class LogFullException extends ClfsException {
    private static final long serialVersionUID = 1L;

    public LogFullException(String message) {
        super(message);
    }
}

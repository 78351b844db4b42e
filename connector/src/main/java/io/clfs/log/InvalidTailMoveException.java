package io.clfs.log;

/** A base LSN or archive tail move that goes backwards, or to an LSN that is not a record. */
public class InvalidTailMoveException extends ClfsException {
    private static final long serialVersionUID = 1L;

    public InvalidTailMoveException(String message) {
        super(message);
    }
}

package io.clfs.log;

/** The LSN lies below both tails: its record is gone. The message names the tails. */
public class LsnBelowTailsException extends ClfsException {
    private static final long serialVersionUID = 1L;

    public LsnBelowTailsException(String message) {
        super(message);
    }
}

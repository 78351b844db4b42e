package io.clfs.log;

/** Another writer opened the log with a newer owner epoch: this writer must stop. */
public class OwnerFencedException extends ClfsException {
    private static final long serialVersionUID = 1L;

    public OwnerFencedException(String message) {
        super(message);
    }
}

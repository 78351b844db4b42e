package io.clfs.log;

/** The log's on-disk format version is not one this engine reads. */
public class UnsupportedFormatException extends ClfsException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFormatException(String message) {
        super(message);
    }
}

package io.clfs.connect.envelope;

/**
 * Bytes that are not a valid envelope or restart area, or a restart area of another partition than
 * the log or stream holding it; the message names the field and offset, or the record.
 */
public class EnvelopeFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EnvelopeFormatException(String message) {
        super(message);
    }
}

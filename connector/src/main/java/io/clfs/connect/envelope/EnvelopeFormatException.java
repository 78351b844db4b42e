package io.clfs.connect.envelope;

/** Bytes that are not a valid envelope or restart area; the message names the field and offset. */
public class EnvelopeFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EnvelopeFormatException(String message) {
        super(message);
    }
}

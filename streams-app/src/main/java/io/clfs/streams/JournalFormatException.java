package io.clfs.streams;

/** A journal record or restart area whose bytes do not follow the journal layout. */
public class JournalFormatException extends RuntimeException {
    public JournalFormatException(String message) {
        super(message);
    }
}

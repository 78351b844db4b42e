package io.clfs.connect.envelope;

/** How a key, value or header value is stored; the code is the byte in the envelope. */
public enum Encoding {
    /** Absent (Kafka null): length is -1 and no bytes follow. */
    NULL(0),
    /** The bytes exactly as Kafka delivered them (ByteArrayConverter data). */
    BYTES(1),
    /** Connect data serialized by the connector's {@code clfs.format.converter}. */
    CONVERTED(2);

    private final int code;

    Encoding(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Returns null for a code that is no encoding, so that the decoder can name the bad byte. */
    public static Encoding fromCode(int code) {
        return switch (code) {
            case 0 -> NULL;
            case 1 -> BYTES;
            case 2 -> CONVERTED;
            default -> null;
        };
    }
}

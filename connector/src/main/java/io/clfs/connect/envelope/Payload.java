package io.clfs.connect.envelope;

import java.util.Arrays;

/**
 * A key, value or header value: its encoding and bytes. {@link Encoding#NULL} and only it has no
 * bytes. The array is not copied; callers hand over ownership.
 */
public record Payload(Encoding encoding, byte[] bytes) {
    public static final Payload NULL = new Payload(Encoding.NULL, null);

    public Payload {
        if (encoding == null) {
            throw new IllegalArgumentException("encoding is required");
        }
        if ((encoding == Encoding.NULL) != (bytes == null)) {
            throw new IllegalArgumentException("encoding " + encoding + (bytes == null ? " needs bytes" : " has no bytes"));
        }
    }

    public static Payload bytes(byte[] raw) {
        return raw == null ? NULL : new Payload(Encoding.BYTES, raw);
    }

    public static Payload converted(byte[] serialized) {
        return serialized == null ? NULL : new Payload(Encoding.CONVERTED, serialized);
    }

    public boolean isNull() {
        return encoding == Encoding.NULL;
    }

    /** -1 for null, as in the envelope. */
    public int length() {
        return bytes == null ? -1 : bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Payload p && p.encoding == encoding && Arrays.equals(p.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * encoding.hashCode() + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return encoding + (bytes == null ? "" : "[" + bytes.length + " bytes]");
    }
}

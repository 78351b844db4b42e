package io.clfs.connect.envelope;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked little-endian reading of one untrusted envelope or restart area, relative to the
 * buffer's position at construction (which is not moved). Every read is checked against the bytes
 * really left before anything is allocated; every failure names the field and its byte offset.
 * One reader serves one decode on one thread.
 */
final class EnvelopeReader {
    private final ByteBuffer data;
    private final int base;
    private final int limit;
    /** What the bytes should be, for error messages: "envelope", "restart area", ... */
    private final String what;
    private int pos;

    EnvelopeReader(ByteBuffer source, String what) {
        this.data = source.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.base = source.position();
        this.limit = source.remaining();
        this.what = what;
    }

    /** The first four bytes as a little-endian int, or 0 when there are fewer: how formats tell each other apart. */
    static int magicOf(ByteBuffer data) {
        return data.remaining() < 4 ? 0 : data.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(data.position());
    }

    int remaining() {
        return limit - pos;
    }

    int position() {
        return pos;
    }

    /** Moves to {@code at} (from the start), e.g. to the variable part after a fixed part checked whole. */
    void seek(int at) {
        pos = at;
    }

    /** Checks that the fixed part of {@code length} bytes is there and that it starts with {@code magic}. */
    void checkFixed(int length, int magic, String magicName) {
        if (limit < length) {
            throw error(0, "fixed part", "at least " + length + " bytes", limit + " bytes");
        }
        int found = intAt(0);
        if (found != magic) {
            throw error(0, "magic", String.format("0x%08x (%s)", magic, magicName), String.format("0x%08x", found));
        }
    }

    /** Checks the version byte at {@code at} against the versions this layout has, {@code min} to {@code max}. */
    int checkVersion(int at, int min, int max) {
        int found = u8At(at);
        if (found < min || found > max) {
            throw error(at, "version", min + " to " + max, found);
        }
        return found;
    }

    /** Checks the version byte at {@code at} against the one version this layout has. */
    int checkVersion(int at, int version) {
        int found = u8At(at);
        if (found != version) {
            throw error(at, "version", String.valueOf(version), found);
        }
        return found;
    }

    /**
     * The u16 {@code fixed_length} at {@code at}: where the variable part starts. A later version may
     * have a longer fixed part, never a shorter one than {@code min}.
     */
    int fixedLength(int at, int min) {
        int fixed = u16At(at);
        if (fixed < min || fixed > limit) {
            throw error(at, "fixed length", min + " to " + limit, fixed);
        }
        return fixed;
    }

    // Absolute reads inside a fixed part whose length was checked.

    int u8At(int at) {
        return Byte.toUnsignedInt(data.get(base + at));
    }

    int u16At(int at) {
        return Short.toUnsignedInt(data.getShort(base + at));
    }

    int intAt(int at) {
        return data.getInt(base + at);
    }

    long longAt(int at) {
        return data.getLong(base + at);
    }

    // Sequential reads of the variable part, each checked against the bytes left.

    private void need(int n, String field) {
        if (n > remaining()) {
            throw error(pos, field, n + " bytes", "only " + remaining() + " left");
        }
    }

    int u8(String field) {
        need(1, field);
        return Byte.toUnsignedInt(data.get(base + pos++));
    }

    int u16(String field) {
        need(2, field);
        int v = Short.toUnsignedInt(data.getShort(base + pos));
        pos += 2;
        return v;
    }

    int getInt(String field) {
        need(4, field);
        int v = data.getInt(base + pos);
        pos += 4;
        return v;
    }

    byte[] bytes(int n, String field) {
        need(n, field);
        byte[] out = new byte[n];
        data.get(base + pos, out);
        pos += n;
        return out;
    }

    String utf8(int n, String field) {
        return new String(bytes(n, field), StandardCharsets.UTF_8);
    }

    /** A key, value or header value of encoding {@code code} and {@code length} bytes (-1 for null). */
    Payload payload(int code, int length, String field) {
        Encoding encoding = Encoding.fromCode(code);
        if (encoding == null) {
            throw error(pos, field + " encoding", "0 (null), 1 (bytes) or 2 (converted)", code);
        }
        if (encoding == Encoding.NULL) {
            if (length != -1) {
                throw error(pos, field + " length", "-1 for a null " + field, length);
            }
            return Payload.NULL;
        }
        if (length < 0) {
            throw error(pos, field + " length", "0 or more for encoding " + encoding, length);
        }
        return new Payload(encoding, bytes(length, field));
    }

    /** Bytes of a layout without encoding bytes (the legacy Streams journal): -1 is null, anything else bytes. */
    Payload bytesOrNull(int length, String field) {
        return payload(length == -1 ? Encoding.NULL.code() : Encoding.BYTES.code(), length, field);
    }

    /** Fails unless the bytes end exactly here. */
    void checkEnd(String after) {
        if (remaining() != 0) {
            throw error(pos, "end of " + what, "no bytes after " + after, remaining() + " more bytes");
        }
    }

    EnvelopeFormatException error(int at, String field, String expected, Object found) {
        return new EnvelopeFormatException("not a valid " + what + ": " + field + " at byte " + at + ": expected "
                + expected + ", found " + found);
    }
}

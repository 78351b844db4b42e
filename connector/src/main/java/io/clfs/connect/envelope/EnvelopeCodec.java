package io.clfs.connect.envelope;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes {@link Envelope}s (layout in {@code docs/format.md}, little-endian).
 *
 * <p>Encoding returns gather parts so that a large key or value is handed to the log without a
 * copy. Decoding treats the bytes as untrusted, like the engine's own parser: every length and
 * count is checked against the bytes really left and against fixed maxima before anything is
 * allocated, and every failure names the field and its offset.
 */
public final class EnvelopeCodec {
    /** "CLFE" as the first four bytes. */
    public static final int MAGIC = 0x45464C43;
    public static final int VERSION = 1;

    // Fixed part, version 1: named offsets of each field.
    public static final int OFF_MAGIC = 0;
    public static final int OFF_VERSION = 4;
    public static final int OFF_TIMESTAMP_TYPE = 5;
    public static final int OFF_FIXED_LENGTH = 6;
    public static final int OFF_OFFSET = 8;
    public static final int OFF_TIMESTAMP = 16;
    public static final int OFF_PARTITION = 24;
    public static final int OFF_KEY_ENCODING = 28;
    public static final int OFF_VALUE_ENCODING = 29;
    public static final int OFF_TOPIC_LENGTH = 30;
    public static final int OFF_KEY_LENGTH = 32;
    public static final int OFF_VALUE_LENGTH = 36;
    public static final int OFF_HEADER_COUNT = 40;
    public static final int FIXED_LENGTH = 44;

    /** A header entry's own fields: name length (2), encoding (1), value length (4). */
    public static final int HEADER_FIXED_LENGTH = 7;
    /** Kafka topic names have at most 249 characters; a little room for multi-byte UTF-8. */
    public static final int MAX_TOPIC_BYTES = 1024;
    public static final int MAX_HEADER_KEY_BYTES = 0xFFFF;

    private EnvelopeCodec() {
    }

    /** The exact number of bytes {@link #encode} produces. */
    public static int encodedSize(Envelope e) {
        long size = FIXED_LENGTH + utf8(e.topic()).length + payloadBytes(e.key()) + payloadBytes(e.value());
        for (EnvelopeHeader h : e.headers()) {
            size += HEADER_FIXED_LENGTH + utf8(h.key()).length + payloadBytes(h.value());
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("envelope of " + size + " bytes is larger than 2 GiB");
        }
        return (int) size;
    }

    /**
     * The envelope as gather parts, in order: fixed part with topic, key, value, headers. Key and
     * value arrays are wrapped, not copied.
     */
    public static ByteBuffer[] encode(Envelope e) {
        byte[] topic = utf8(e.topic());
        if (topic.length > MAX_TOPIC_BYTES) {
            throw new IllegalArgumentException("topic name of " + topic.length + " bytes exceeds " + MAX_TOPIC_BYTES);
        }
        ByteBuffer head = ByteBuffer.allocate(FIXED_LENGTH + topic.length).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(OFF_MAGIC, MAGIC)
                .put(OFF_VERSION, (byte) VERSION)
                .put(OFF_TIMESTAMP_TYPE, (byte) e.timestampKind().code())
                .putShort(OFF_FIXED_LENGTH, (short) FIXED_LENGTH)
                .putLong(OFF_OFFSET, e.offset())
                .putLong(OFF_TIMESTAMP, e.timestamp())
                .putInt(OFF_PARTITION, e.partition())
                .put(OFF_KEY_ENCODING, (byte) e.key().encoding().code())
                .put(OFF_VALUE_ENCODING, (byte) e.value().encoding().code())
                .putShort(OFF_TOPIC_LENGTH, (short) topic.length)
                .putInt(OFF_KEY_LENGTH, e.key().length())
                .putInt(OFF_VALUE_LENGTH, e.value().length())
                .putInt(OFF_HEADER_COUNT, e.headers().size())
                .put(FIXED_LENGTH, topic);
        List<ByteBuffer> parts = new ArrayList<>(4);
        parts.add(head);
        addIfPresent(parts, e.key());
        addIfPresent(parts, e.value());
        if (!e.headers().isEmpty()) {
            parts.add(encodeHeaders(e.headers()));
        }
        return parts.toArray(ByteBuffer[]::new);
    }

    /** The envelope in one array: for tests and tools; the sink appends the gather parts. */
    public static byte[] encodeToArray(Envelope e) {
        ByteBuffer out = ByteBuffer.allocate(encodedSize(e));
        for (ByteBuffer part : encode(e)) {
            out.put(part);
        }
        return out.array();
    }

    private static void addIfPresent(List<ByteBuffer> parts, Payload p) {
        if (p.bytes() != null && p.bytes().length > 0) {
            parts.add(ByteBuffer.wrap(p.bytes()));
        }
    }

    private static ByteBuffer encodeHeaders(List<EnvelopeHeader> headers) {
        int size = 0;
        List<byte[]> names = new ArrayList<>(headers.size());
        for (EnvelopeHeader h : headers) {
            byte[] name = utf8(h.key());
            if (name.length > MAX_HEADER_KEY_BYTES) {
                throw new IllegalArgumentException("header key of " + name.length + " bytes exceeds "
                        + MAX_HEADER_KEY_BYTES);
            }
            names.add(name);
            size += HEADER_FIXED_LENGTH + name.length + payloadBytes(h.value());
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < headers.size(); i++) {
            Payload v = headers.get(i).value();
            b.putShort((short) names.get(i).length).put(names.get(i)).put((byte) v.encoding().code())
                    .putInt(v.length());
            if (v.bytes() != null) {
                b.put(v.bytes());
            }
        }
        return b.flip();
    }

    private static int payloadBytes(Payload p) {
        return p.bytes() == null ? 0 : p.bytes().length;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ decoding

    /** True when the bytes start with the envelope magic: lets tools tell envelopes from other data. */
    public static boolean isEnvelope(ByteBuffer data) {
        return data.remaining() >= 4 && data.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(data.position()) == MAGIC;
    }

    /** Decodes a whole envelope; the buffer's position is not changed. */
    public static Envelope decode(ByteBuffer data) {
        Reader r = new Reader(data);
        Fixed f = readFixed(r);
        String topic = r.utf8(f.topicLength, "topic");
        Payload key = r.payload(f.keyEncoding, f.keyLength, "key");
        Payload value = r.payload(f.valueEncoding, f.valueLength, "value");
        int maxHeaders = r.remaining() / HEADER_FIXED_LENGTH;
        if (f.headerCount < 0 || f.headerCount > maxHeaders) {
            throw r.error(OFF_HEADER_COUNT, "header count", "0 to " + maxHeaders + " for the " + r.remaining()
                    + " bytes left", f.headerCount);
        }
        List<EnvelopeHeader> headers = new ArrayList<>(f.headerCount);
        for (int i = 0; i < f.headerCount; i++) {
            String field = "header " + i;
            int nameLength = Short.toUnsignedInt(r.getShort(field + " key length"));
            String name = r.utf8(nameLength, field + " key");
            int encoding = Byte.toUnsignedInt(r.get(field + " encoding"));
            int length = r.getInt(field + " value length");
            headers.add(new EnvelopeHeader(name, r.payload(encoding, length, field + " value")));
        }
        if (r.remaining() != 0) {
            throw r.error(r.pos, "end of envelope", "no bytes after the last header", r.remaining() + " more bytes");
        }
        return new Envelope(topic, f.partition, f.offset, f.timestamp, f.kind, key, value, headers);
    }

    /** Only the fixed part: what recovery needs (offset, timestamp) without copying key or value. */
    public static Fixed decodeFixed(ByteBuffer data) {
        return readFixed(new Reader(data));
    }

    /** The fixed fields of an envelope. */
    public record Fixed(int version, TimestampKind kind, long offset, long timestamp, int partition,
                        int keyEncoding, int valueEncoding, int topicLength, int keyLength, int valueLength,
                        int headerCount) {
    }

    private static Fixed readFixed(Reader r) {
        if (r.remaining() < FIXED_LENGTH) {
            throw r.error(0, "fixed part", "at least " + FIXED_LENGTH + " bytes", r.remaining() + " bytes");
        }
        int magic = r.data.getInt(r.base + OFF_MAGIC);
        if (magic != MAGIC) {
            throw r.error(OFF_MAGIC, "magic", String.format("0x%08x (\"CLFE\")", MAGIC), String.format("0x%08x", magic));
        }
        int version = Byte.toUnsignedInt(r.data.get(r.base + OFF_VERSION));
        if (version != VERSION) {
            throw r.error(OFF_VERSION, "version", String.valueOf(VERSION), version);
        }
        TimestampKind kind = TimestampKind.fromCode(Byte.toUnsignedInt(r.data.get(r.base + OFF_TIMESTAMP_TYPE)));
        if (kind == null) {
            throw r.error(OFF_TIMESTAMP_TYPE, "timestamp type", "0, 1 or 2", r.data.get(r.base + OFF_TIMESTAMP_TYPE));
        }
        int fixedLength = Short.toUnsignedInt(r.data.getShort(r.base + OFF_FIXED_LENGTH));
        if (fixedLength < FIXED_LENGTH || fixedLength > r.remaining()) {
            throw r.error(OFF_FIXED_LENGTH, "fixed length", FIXED_LENGTH + " to " + r.remaining(), fixedLength);
        }
        Fixed f = new Fixed(version, kind, r.data.getLong(r.base + OFF_OFFSET), r.data.getLong(r.base + OFF_TIMESTAMP),
                r.data.getInt(r.base + OFF_PARTITION), Byte.toUnsignedInt(r.data.get(r.base + OFF_KEY_ENCODING)),
                Byte.toUnsignedInt(r.data.get(r.base + OFF_VALUE_ENCODING)),
                Short.toUnsignedInt(r.data.getShort(r.base + OFF_TOPIC_LENGTH)),
                r.data.getInt(r.base + OFF_KEY_LENGTH), r.data.getInt(r.base + OFF_VALUE_LENGTH),
                r.data.getInt(r.base + OFF_HEADER_COUNT));
        r.pos = fixedLength;
        return f;
    }

    /** Bounds-checked little-endian reading relative to the buffer's position at construction. */
    private static final class Reader {
        final ByteBuffer data;
        final int base;
        final int limit;
        int pos;

        Reader(ByteBuffer source) {
            this.data = source.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            this.base = source.position();
            this.limit = source.remaining();
        }

        int remaining() {
            return limit - pos;
        }

        void need(int n, String field) {
            if (n > remaining()) {
                throw error(pos, field, n + " bytes", "only " + remaining() + " left");
            }
        }

        byte get(String field) {
            need(1, field);
            return data.get(base + pos++);
        }

        short getShort(String field) {
            need(2, field);
            short v = data.getShort(base + pos);
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

        EnvelopeFormatException error(int at, String field, String expected, Object found) {
            return new EnvelopeFormatException("not a valid envelope: " + field + " at byte " + at + ": expected "
                    + expected + ", found " + found);
        }
    }
}

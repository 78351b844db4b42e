package io.clfs.connect.envelope;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes {@link Envelope}s (layout in {@code docs/format.md}, little-endian): what the
 * sink and the Kafka Streams journal store journal for each record. Decoding also reads the
 * Streams journal's legacy "CLSJ" layout ({@link LegacyStreamsLayout}).
 *
 * <p>Encoding returns gather parts so that a large key or value is handed to the log without a
 * copy. Decoding treats the bytes as untrusted, like the engine's own parser: every length and
 * count is checked against the bytes really left and against fixed maxima before anything is
 * allocated, and every failure names the field and its offset ({@link EnvelopeReader}).
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

    /** The bytes of gather parts from {@link #encode}, without encoding anything again. */
    public static int size(ByteBuffer[] parts) {
        int n = 0;
        for (ByteBuffer p : parts) {
            n += p.remaining();
        }
        return n;
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

    /**
     * True when the bytes start with the envelope magic, or the legacy Streams journal's: lets tools
     * tell envelopes from other data.
     */
    public static boolean isEnvelope(ByteBuffer data) {
        int magic = EnvelopeReader.magicOf(data);
        return magic == MAGIC || magic == LegacyStreamsLayout.ENVELOPE_MAGIC;
    }

    /**
     * Decodes a whole envelope, or a record the Streams journal wrote in its legacy layout; the
     * buffer's position is not changed.
     */
    public static Envelope decode(ByteBuffer data) {
        if (EnvelopeReader.magicOf(data) == LegacyStreamsLayout.ENVELOPE_MAGIC) {
            return LegacyStreamsLayout.decodeEnvelope(data);
        }
        EnvelopeReader r = new EnvelopeReader(data, "envelope");
        Fixed f = readFixed(r);
        String topic = r.utf8(f.topicLength, "topic");
        Payload key = r.payload(f.keyEncoding, f.keyLength, "key");
        Payload value = r.payload(f.valueEncoding, f.valueLength, "value");
        List<EnvelopeHeader> headers = readHeaders(r, f.headerCount, OFF_HEADER_COUNT, HEADER_FIXED_LENGTH,
                (reader, field) -> reader.payload(reader.u8(field + " encoding"),
                        reader.getInt(field + " value length"), field + " value"));
        r.checkEnd("the last header");
        return new Envelope(topic, f.partition, f.offset, f.timestamp, f.kind, key, value, headers);
    }

    /** Reads what follows a header entry's name: its value, with the encoding and length fields of the layout. */
    @FunctionalInterface
    interface HeaderValueReader {
        Payload read(EnvelopeReader r, String field);
    }

    /**
     * The header entries, each a u16 name length, the name, then its value as {@code values} reads
     * it. The count is checked against the bytes left first (each entry has at least
     * {@code entryFixedLength} bytes), so a damaged count cannot make the decoder allocate.
     */
    static List<EnvelopeHeader> readHeaders(EnvelopeReader r, int count, int countAt, int entryFixedLength,
                                            HeaderValueReader values) {
        int max = r.remaining() / entryFixedLength;
        if (count < 0 || count > max) {
            throw r.error(countAt, "header count", "0 to " + max + " for the " + r.remaining() + " bytes left", count);
        }
        List<EnvelopeHeader> headers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String field = "header " + i;
            String name = r.utf8(r.u16(field + " key length"), field + " key");
            headers.add(new EnvelopeHeader(name, values.read(r, field)));
        }
        return headers;
    }

    /**
     * Only the fixed part: what recovery needs (offset, timestamp) without copying key or value. Of a
     * legacy Streams journal record, the fields it has (see {@link LegacyStreamsLayout}).
     */
    public static Fixed decodeFixed(ByteBuffer data) {
        if (EnvelopeReader.magicOf(data) == LegacyStreamsLayout.ENVELOPE_MAGIC) {
            return LegacyStreamsLayout.decodeFixed(data);
        }
        return readFixed(new EnvelopeReader(data, "envelope"));
    }

    /** The fixed fields of an envelope. */
    public record Fixed(int version, TimestampKind kind, long offset, long timestamp, int partition,
                        int keyEncoding, int valueEncoding, int topicLength, int keyLength, int valueLength,
                        int headerCount) {
    }

    private static Fixed readFixed(EnvelopeReader r) {
        r.checkFixed(FIXED_LENGTH, MAGIC, "\"CLFE\"");
        int version = r.checkVersion(OFF_VERSION, VERSION);
        TimestampKind kind = TimestampKind.fromCode(r.u8At(OFF_TIMESTAMP_TYPE));
        if (kind == null) {
            throw r.error(OFF_TIMESTAMP_TYPE, "timestamp type", "0, 1 or 2", r.u8At(OFF_TIMESTAMP_TYPE));
        }
        int fixedLength = r.fixedLength(OFF_FIXED_LENGTH, FIXED_LENGTH);
        Fixed f = new Fixed(version, kind, r.longAt(OFF_OFFSET), r.longAt(OFF_TIMESTAMP), r.intAt(OFF_PARTITION),
                r.u8At(OFF_KEY_ENCODING), r.u8At(OFF_VALUE_ENCODING), r.u16At(OFF_TOPIC_LENGTH),
                r.intAt(OFF_KEY_LENGTH), r.intAt(OFF_VALUE_LENGTH), r.intAt(OFF_HEADER_COUNT));
        r.seek(fixedLength);
        return f;
    }
}

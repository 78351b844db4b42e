package io.clfs.streams;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte layout of a journal data record (little-endian, version 1):
 * <pre>
 *  0 int   magic "CLSJ"          20 long  timestamp
 *  4 byte  version               28 int   key length, -1 for null
 *  5 byte  reserved (0)          32 int   value length, -1 for null
 *  6 u16   topic length          36 int   header count
 *  8 int   partition             40 ...   topic, key, value, then per header:
 * 12 long  offset                         u16 name length, name, int value length (-1 null), value
 * </pre>
 * Encoding returns gather parts so that key and value reach the log without a copy. Decoding
 * treats the bytes as untrusted: every length and count is checked against the bytes really left
 * before anything is allocated, and a failure names the field and its position.
 */
public final class JournalEnvelopeCodec {
    public static final int MAGIC = 0x4A534C43; // "CLSJ"
    public static final int VERSION = 1;
    static final int FIXED_LENGTH = 40;
    private static final int OFF_VERSION = 4;
    private static final int OFF_TOPIC_LENGTH = 6;
    private static final int OFF_PARTITION = 8;
    private static final int OFF_OFFSET = 12;
    private static final int OFF_TIMESTAMP = 20;
    private static final int OFF_KEY_LENGTH = 28;
    private static final int OFF_VALUE_LENGTH = 32;
    private static final int OFF_HEADER_COUNT = 36;
    /** Kafka topic names have at most 249 characters; room for multi-byte UTF-8. */
    static final int MAX_TOPIC_BYTES = 1024;
    private static final int HEADER_FIXED_LENGTH = 6;

    private JournalEnvelopeCodec() {
    }

    /** The envelope as gather parts: fixed part with topic, key, value, headers. */
    public static ByteBuffer[] encode(JournalEnvelope e) {
        byte[] topic = e.topic().getBytes(StandardCharsets.UTF_8);
        if (topic.length > MAX_TOPIC_BYTES) {
            throw new IllegalArgumentException("topic name of " + topic.length + " bytes exceeds " + MAX_TOPIC_BYTES);
        }
        Header[] headers = e.headers().toArray();
        ByteBuffer head = ByteBuffer.allocate(FIXED_LENGTH + topic.length).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(0, MAGIC)
                .put(OFF_VERSION, (byte) VERSION)
                .putShort(OFF_TOPIC_LENGTH, (short) topic.length)
                .putInt(OFF_PARTITION, e.partition())
                .putLong(OFF_OFFSET, e.offset())
                .putLong(OFF_TIMESTAMP, e.timestamp())
                .putInt(OFF_KEY_LENGTH, length(e.key()))
                .putInt(OFF_VALUE_LENGTH, length(e.value()))
                .putInt(OFF_HEADER_COUNT, headers.length)
                .put(FIXED_LENGTH, topic);
        return new ByteBuffer[]{head, wrap(e.key()), wrap(e.value()), encodeHeaders(headers)};
    }

    private static ByteBuffer encodeHeaders(Header[] headers) {
        byte[][] names = new byte[headers.length][];
        int size = 0;
        for (int i = 0; i < headers.length; i++) {
            names[i] = headers[i].key().getBytes(StandardCharsets.UTF_8);
            if (names[i].length > 0xFFFF) {
                throw new IllegalArgumentException("header name of " + names[i].length + " bytes exceeds 65535");
            }
            size += HEADER_FIXED_LENGTH + names[i].length + Math.max(0, length(headers[i].value()));
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < headers.length; i++) {
            byte[] v = headers[i].value();
            b.putShort((short) names[i].length).put(names[i]).putInt(length(v));
            if (v != null) {
                b.put(v);
            }
        }
        return b.flip();
    }

    /** The number of bytes {@link #encode} produces for {@code parts}. */
    public static int size(ByteBuffer[] parts) {
        int n = 0;
        for (ByteBuffer p : parts) {
            n += p.remaining();
        }
        return n;
    }

    public static JournalEnvelope decode(ByteBuffer data) {
        Reader r = new Reader(data);
        r.checkFixed();
        int topicLength = Short.toUnsignedInt(r.b.getShort(r.base + OFF_TOPIC_LENGTH));
        int partition = r.b.getInt(r.base + OFF_PARTITION);
        long offset = r.b.getLong(r.base + OFF_OFFSET);
        long timestamp = r.b.getLong(r.base + OFF_TIMESTAMP);
        int keyLength = r.b.getInt(r.base + OFF_KEY_LENGTH);
        int valueLength = r.b.getInt(r.base + OFF_VALUE_LENGTH);
        int headerCount = r.b.getInt(r.base + OFF_HEADER_COUNT);
        r.at = FIXED_LENGTH;
        if (topicLength > MAX_TOPIC_BYTES) {
            throw r.bad("topic length", OFF_TOPIC_LENGTH, "at most " + MAX_TOPIC_BYTES, topicLength);
        }
        String topic = new String(r.bytes(topicLength, "topic"), StandardCharsets.UTF_8);
        byte[] key = r.nullable(keyLength, "key", OFF_KEY_LENGTH);
        byte[] value = r.nullable(valueLength, "value", OFF_VALUE_LENGTH);
        if (headerCount < 0 || headerCount > r.left() / HEADER_FIXED_LENGTH) {
            throw r.bad("header count", OFF_HEADER_COUNT, "0 to " + r.left() / HEADER_FIXED_LENGTH, headerCount);
        }
        List<Header> headers = new ArrayList<>(headerCount);
        for (int i = 0; i < headerCount; i++) {
            int nameAt = r.at;
            int nameLength = Short.toUnsignedInt(r.b.getShort(r.base + r.need(2, "header name length")));
            String name = new String(r.bytes(nameLength, "header name"), StandardCharsets.UTF_8);
            int lengthAt = r.at;
            int valueLen = r.b.getInt(r.base + r.need(4, "header value length"));
            headers.add(new RecordHeader(name,
                    r.nullable(valueLen, "header '" + name + "' (entry at " + nameAt + ")", lengthAt)));
        }
        if (r.left() != 0) {
            throw new JournalFormatException("journal record has " + r.left() + " bytes after its last header at "
                    + r.at + "; expected none");
        }
        return new JournalEnvelope(topic, partition, offset, timestamp, key, value, new RecordHeaders(headers));
    }

    /** The input offset alone, for scans that need nothing else. */
    public static long offset(ByteBuffer data) {
        Reader r = new Reader(data);
        r.checkFixed();
        return r.b.getLong(r.base + OFF_OFFSET);
    }

    private static int length(byte[] b) {
        return b == null ? -1 : b.length;
    }

    private static ByteBuffer wrap(byte[] b) {
        return b == null ? ByteBuffer.allocate(0) : ByteBuffer.wrap(b);
    }

    /** Bounds-checked reading of one record's bytes; positions in messages are from the record start. */
    private static final class Reader {
        final ByteBuffer b;
        final int base;
        final int limit;
        int at;

        Reader(ByteBuffer data) {
            this.b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            this.base = b.position();
            this.limit = b.limit() - base;
        }

        void checkFixed() {
            if (limit < FIXED_LENGTH) {
                throw new JournalFormatException("journal record of " + limit + " bytes is shorter than its fixed part ("
                        + FIXED_LENGTH + " bytes)");
            }
            int magic = b.getInt(base);
            if (magic != MAGIC) {
                throw new JournalFormatException(String.format(
                        "not a journal record: magic 0x%08x at 0, expected 0x%08x (\"CLSJ\")", magic, MAGIC));
            }
            int version = b.get(base + OFF_VERSION);
            if (version != VERSION) {
                throw new JournalFormatException("unsupported journal record version " + version + " at "
                        + OFF_VERSION + ", expected " + VERSION);
            }
        }

        int left() {
            return limit - at;
        }

        /** Claims {@code n} bytes and returns where they start. */
        int need(int n, String field) {
            if (n > left()) {
                throw new JournalFormatException("journal record too short for " + field + " at " + at + ": needs "
                        + n + " bytes, " + left() + " left");
            }
            int start = at;
            at += n;
            return start;
        }

        byte[] bytes(int n, String field) {
            int start = need(n, field);
            byte[] out = new byte[n];
            b.get(base + start, out);
            return out;
        }

        byte[] nullable(int length, String field, int lengthAt) {
            if (length == -1) {
                return null;
            }
            if (length < -1 || length > left()) {
                throw bad(field + " length", lengthAt, "-1 (null) to " + left(), length);
            }
            return bytes(length, field);
        }

        JournalFormatException bad(String field, int position, String expected, long found) {
            return new JournalFormatException("bad " + field + " at " + position + ": expected " + expected
                    + ", found " + found);
        }
    }
}

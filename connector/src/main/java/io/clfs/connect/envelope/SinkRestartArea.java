package io.clfs.connect.envelope;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * What the sink writes into a partition log's restart area: the last journaled Kafka offset and
 * running totals, so that recovery starts here and the base-LSN policy can pick a restart record
 * as the new base without reading data records. Layout in {@code docs/format.md}.
 *
 * @param lastOffset       Kafka offset of the last journaled record, -1 before the first
 * @param recordsJournaled data records journaled into this log since it was created
 * @param bytesJournaled   envelope bytes of those records
 * @param maxTimestamp     highest record timestamp journaled so far (journal time for records without one), -1 none
 * @param writtenAtMs      wall-clock time the restart area was written
 */
public record SinkRestartArea(String topic, int partition, long lastOffset, long recordsJournaled,
                              long bytesJournaled, long maxTimestamp, long writtenAtMs) {
    /** "CLFR" as the first four bytes. */
    public static final int MAGIC = 0x52464C43;
    public static final int VERSION = 1;
    public static final int OFF_MAGIC = 0;
    public static final int OFF_VERSION = 4;
    public static final int OFF_FIXED_LENGTH = 6;
    public static final int OFF_LAST_OFFSET = 8;
    public static final int OFF_RECORDS = 16;
    public static final int OFF_BYTES = 24;
    public static final int OFF_MAX_TIMESTAMP = 32;
    public static final int OFF_WRITTEN_AT = 40;
    public static final int OFF_PARTITION = 48;
    public static final int OFF_TOPIC_LENGTH = 52;
    public static final int FIXED_LENGTH = 56;

    public ByteBuffer encode() {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        if (t.length > EnvelopeCodec.MAX_TOPIC_BYTES) {
            throw new IllegalArgumentException("topic name of " + t.length + " bytes exceeds " + EnvelopeCodec.MAX_TOPIC_BYTES);
        }
        ByteBuffer b = ByteBuffer.allocate(FIXED_LENGTH + t.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(OFF_MAGIC, MAGIC).put(OFF_VERSION, (byte) VERSION).putShort(OFF_FIXED_LENGTH, (short) FIXED_LENGTH)
                .putLong(OFF_LAST_OFFSET, lastOffset).putLong(OFF_RECORDS, recordsJournaled)
                .putLong(OFF_BYTES, bytesJournaled).putLong(OFF_MAX_TIMESTAMP, maxTimestamp)
                .putLong(OFF_WRITTEN_AT, writtenAtMs).putInt(OFF_PARTITION, partition)
                .putShort(OFF_TOPIC_LENGTH, (short) t.length).put(FIXED_LENGTH, t);
        return b;
    }

    public static boolean isRestartArea(ByteBuffer data) {
        return data.remaining() >= 4 && data.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(data.position()) == MAGIC;
    }

    public static SinkRestartArea decode(ByteBuffer source) {
        ByteBuffer b = source.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < FIXED_LENGTH) {
            throw error(0, "fixed part", "at least " + FIXED_LENGTH + " bytes", b.remaining() + " bytes");
        }
        if (b.getInt(OFF_MAGIC) != MAGIC) {
            throw error(OFF_MAGIC, "magic", String.format("0x%08x (\"CLFR\")", MAGIC), String.format("0x%08x", b.getInt(0)));
        }
        int version = Byte.toUnsignedInt(b.get(OFF_VERSION));
        if (version != VERSION) {
            throw error(OFF_VERSION, "version", String.valueOf(VERSION), version);
        }
        int fixed = Short.toUnsignedInt(b.getShort(OFF_FIXED_LENGTH));
        int topicLength = Short.toUnsignedInt(b.getShort(OFF_TOPIC_LENGTH));
        if (fixed < FIXED_LENGTH || fixed > b.remaining()) {
            throw error(OFF_FIXED_LENGTH, "fixed length", FIXED_LENGTH + " to " + b.remaining(), fixed);
        }
        if (topicLength != b.remaining() - fixed) {
            throw error(OFF_TOPIC_LENGTH, "topic length", String.valueOf(b.remaining() - fixed), topicLength);
        }
        byte[] t = new byte[topicLength];
        b.get(fixed, t);
        return new SinkRestartArea(new String(t, StandardCharsets.UTF_8), b.getInt(OFF_PARTITION),
                b.getLong(OFF_LAST_OFFSET), b.getLong(OFF_RECORDS), b.getLong(OFF_BYTES),
                b.getLong(OFF_MAX_TIMESTAMP), b.getLong(OFF_WRITTEN_AT));
    }

    private static EnvelopeFormatException error(int at, String field, String expected, Object found) {
        return new EnvelopeFormatException("not a valid sink restart area: " + field + " at byte " + at
                + ": expected " + expected + ", found " + found);
    }
}

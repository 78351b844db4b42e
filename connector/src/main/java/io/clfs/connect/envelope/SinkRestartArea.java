package io.clfs.connect.envelope;

import org.apache.kafka.common.Uuid;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * What the sink writes into a partition log's restart area, and the Kafka Streams journal store
 * into each input partition's stream: the last journaled Kafka offset and running totals, so that
 * recovery starts here and the sink's base-LSN policy can pick a restart record as the new base
 * without reading data records. Layout in {@code docs/format.md}; {@link #decode} also reads the
 * Streams journal's legacy "CLSR" layout.
 *
 * @param lastOffset       Kafka offset of the last journaled record, -1 before the first
 * @param recordsJournaled data records journaled into this log since it was created
 * @param bytesJournaled   envelope bytes of those records
 * @param maxTimestamp     highest record timestamp journaled so far (journal time for records without one), -1 none
 * @param writtenAtMs      wall-clock time the restart area was written
 * @param gaps             times Kafka delivered a record past the log's next offset (records deleted
 *                         or compacted away before they were journaled)
 * @param recordsMissing   offsets those gaps passed over
 * @param finished         this log is a finished generation: the sink writes nothing more into it
 *                         (the partition's topic was recreated or truncated, a newer generation follows)
 * @param origin           the origin topic's id, partition count and settings, as the sink last saw them;
 *                         null when the sink does not describe its topics ({@code clfs.origin.bootstrap.servers})
 */
public record SinkRestartArea(String topic, int partition, long lastOffset, long recordsJournaled,
                              long bytesJournaled, long maxTimestamp, long writtenAtMs, long gaps,
                              long recordsMissing, boolean finished, TopicOrigin origin) {
    /** "CLFR" as the first four bytes. */
    public static final int MAGIC = 0x52464C43;
    /** Written only by a restart area that carries an {@link #origin}; the others stay version 1, byte for byte. */
    public static final int VERSION = 2;
    public static final int VERSION_WITHOUT_ORIGIN = 1;
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
    /** The extension (gaps, missing records, flags) after the first fixed part, written only when it is not all zero. */
    public static final int OFF_GAPS = 56;
    public static final int OFF_RECORDS_MISSING = 64;
    public static final int OFF_FLAGS = 72;
    public static final int EXTENDED_FIXED_LENGTH = 80;
    /** Flag bit: {@link #finished}. */
    public static final int FLAG_FINISHED = 1;
    /** Version 2: the origin topic after the extension. */
    public static final int OFF_TOPIC_ID = 80;
    public static final int OFF_ORIGIN_PARTITIONS = 96;
    public static final int OFF_MAX_MESSAGE_BYTES = 100;
    public static final int OFF_RETENTION_MS = 104;
    public static final int OFF_RETENTION_BYTES = 112;
    public static final int OFF_CLEANUP_POLICY = 120;
    public static final int ORIGIN_FIXED_LENGTH = 128;

    /** A restart area with no gap and not finished: what the Streams journal and the sink write most of the time. */
    public SinkRestartArea(String topic, int partition, long lastOffset, long recordsJournaled, long bytesJournaled,
                           long maxTimestamp, long writtenAtMs) {
        this(topic, partition, lastOffset, recordsJournaled, bytesJournaled, maxTimestamp, writtenAtMs, 0, 0, false);
    }

    /** A restart area without an origin topic. */
    public SinkRestartArea(String topic, int partition, long lastOffset, long recordsJournaled, long bytesJournaled,
                           long maxTimestamp, long writtenAtMs, long gaps, long recordsMissing, boolean finished) {
        this(topic, partition, lastOffset, recordsJournaled, bytesJournaled, maxTimestamp, writtenAtMs, gaps,
                recordsMissing, finished, null);
    }

    public ByteBuffer encode() {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        if (t.length > EnvelopeCodec.MAX_TOPIC_BYTES) {
            throw new IllegalArgumentException("topic name of " + t.length + " bytes exceeds " + EnvelopeCodec.MAX_TOPIC_BYTES);
        }
        // Without gaps, flags and origin the bytes stay those of the 56-byte layout every reader knows.
        boolean extended = gaps != 0 || recordsMissing != 0 || finished || origin != null;
        int fixed = origin != null ? ORIGIN_FIXED_LENGTH : extended ? EXTENDED_FIXED_LENGTH : FIXED_LENGTH;
        ByteBuffer b = ByteBuffer.allocate(fixed + t.length).order(ByteOrder.LITTLE_ENDIAN);
        if (extended) {
            b.putLong(OFF_GAPS, gaps).putLong(OFF_RECORDS_MISSING, recordsMissing)
                    .putInt(OFF_FLAGS, finished ? FLAG_FINISHED : 0);
        }
        if (origin != null) {
            b.putLong(OFF_TOPIC_ID, origin.topicId().getMostSignificantBits())
                    .putLong(OFF_TOPIC_ID + 8, origin.topicId().getLeastSignificantBits())
                    .putInt(OFF_ORIGIN_PARTITIONS, origin.partitions())
                    .putInt(OFF_MAX_MESSAGE_BYTES, origin.maxMessageBytes())
                    .putLong(OFF_RETENTION_MS, origin.retentionMs())
                    .putLong(OFF_RETENTION_BYTES, origin.retentionBytes())
                    .putInt(OFF_CLEANUP_POLICY, TopicOrigin.policyBits(origin.cleanupPolicy()));
        }
        int version = origin != null ? VERSION : VERSION_WITHOUT_ORIGIN;
        b.putInt(OFF_MAGIC, MAGIC).put(OFF_VERSION, (byte) version).putShort(OFF_FIXED_LENGTH, (short) fixed)
                .putLong(OFF_LAST_OFFSET, lastOffset).putLong(OFF_RECORDS, recordsJournaled)
                .putLong(OFF_BYTES, bytesJournaled).putLong(OFF_MAX_TIMESTAMP, maxTimestamp)
                .putLong(OFF_WRITTEN_AT, writtenAtMs).putInt(OFF_PARTITION, partition)
                .putShort(OFF_TOPIC_LENGTH, (short) t.length).put(fixed, t);
        return b;
    }

    /** True when the bytes start with the restart area magic, or the legacy Streams journal's. */
    public static boolean isRestartArea(ByteBuffer data) {
        int magic = EnvelopeReader.magicOf(data);
        return magic == MAGIC || magic == LegacyStreamsLayout.RESTART_AREA_MAGIC;
    }

    /**
     * Decodes a restart area, or one the Streams journal wrote in its legacy layout; the buffer's
     * position is not changed.
     */
    public static SinkRestartArea decode(ByteBuffer data) {
        if (EnvelopeReader.magicOf(data) == LegacyStreamsLayout.RESTART_AREA_MAGIC) {
            return LegacyStreamsLayout.decodeRestartArea(data);
        }
        EnvelopeReader r = new EnvelopeReader(data, "restart area");
        r.checkFixed(FIXED_LENGTH, MAGIC, "\"CLFR\"");
        int version = r.checkVersion(OFF_VERSION, VERSION_WITHOUT_ORIGIN, VERSION);
        int fixed = r.fixedLength(OFF_FIXED_LENGTH, version >= VERSION ? ORIGIN_FIXED_LENGTH : FIXED_LENGTH);
        int topicLength = r.u16At(OFF_TOPIC_LENGTH);
        if (topicLength != r.remaining() - fixed) {
            throw r.error(OFF_TOPIC_LENGTH, "topic length", String.valueOf(r.remaining() - fixed), topicLength);
        }
        boolean extended = fixed >= EXTENDED_FIXED_LENGTH; // a 56-byte restart area has no gap and is not finished
        long gaps = extended ? r.longAt(OFF_GAPS) : 0;
        long missing = extended ? r.longAt(OFF_RECORDS_MISSING) : 0;
        int flags = extended ? r.intAt(OFF_FLAGS) : 0;
        TopicOrigin origin = version >= VERSION ? originAt(r) : null;
        r.seek(fixed);
        return new SinkRestartArea(r.utf8(topicLength, "topic"), r.intAt(OFF_PARTITION), r.longAt(OFF_LAST_OFFSET),
                r.longAt(OFF_RECORDS), r.longAt(OFF_BYTES), r.longAt(OFF_MAX_TIMESTAMP), r.longAt(OFF_WRITTEN_AT),
                gaps, missing, (flags & FLAG_FINISHED) != 0, origin);
    }

    private static TopicOrigin originAt(EnvelopeReader r) {
        Uuid id = new Uuid(r.longAt(OFF_TOPIC_ID), r.longAt(OFF_TOPIC_ID + 8));
        int policy = r.intAt(OFF_CLEANUP_POLICY);
        if ((policy & ~(TopicOrigin.POLICY_DELETE | TopicOrigin.POLICY_COMPACT)) != 0) {
            throw r.error(OFF_CLEANUP_POLICY, "cleanup policy", "bits 0 and 1 only", policy);
        }
        return new TopicOrigin(id, r.intAt(OFF_ORIGIN_PARTITIONS), r.intAt(OFF_MAX_MESSAGE_BYTES),
                r.longAt(OFF_RETENTION_MS), r.longAt(OFF_RETENTION_BYTES), TopicOrigin.policyText(policy));
    }
}

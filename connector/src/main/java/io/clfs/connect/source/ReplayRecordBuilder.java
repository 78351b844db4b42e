package io.clfs.connect.source;

import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.EnvelopeHeader;
import io.clfs.connect.envelope.Payload;
import io.clfs.log.Lsn;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.storage.Converter;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Turns a journaled envelope back into a {@link SourceRecord}. Bytes are handed over as BYTES
 * data, so that {@code ByteArrayConverter} (key, value and header converter) writes exactly the
 * bytes the sink journaled; converted data is rebuilt with the format converter the sink used.
 * The {@code clfs.*} headers are UTF-8 text as bytes, for the same reason. Used by the task thread
 * only (it keeps the last replay topic it rendered).
 */
final class ReplayRecordBuilder {
    public static final String HEADER_LSN = "clfs.lsn";
    public static final String HEADER_ORIGIN_TOPIC = "clfs.origin.topic";
    public static final String HEADER_ORIGIN_PARTITION = "clfs.origin.partition";
    public static final String HEADER_ORIGIN_OFFSET = "clfs.origin.offset";

    /** A record batch's fixed overhead plus the worst case of one record's varints (Kafka's upper bound). */
    private static final int RECORD_OVERHEAD = 61 + 36;
    private static final int HEADER_OVERHEAD = 10;
    /** {@code cccccccc:oooooooo}: every LSN's text has this length. */
    private static final int LSN_TEXT_LENGTH = 17;

    private final ReplayTopics topics;
    private final PartitionMapper partitions;
    private final boolean addHeaders;
    private final Converter keyFormat;
    private final Converter valueFormat;
    /**
     * The last origin topic-partition and its replay topic: a log holds one origin partition and a
     * poll takes a run of records from each log, so rendering the topic template once per run will do.
     */
    private String lastOrigin;
    private int lastPartition;
    private String lastTarget;
    /**
     * The origin topic-partition of the last record sized, as header bytes: every record of a run
     * carries the same, and encoding them per record was most of the builder's garbage.
     */
    private String textOrigin;
    private int textPartition;
    private byte[] originTopicBytes;
    private byte[] originPartitionBytes;

    ReplayRecordBuilder(ReplayTopics topics, PartitionMapper partitions, boolean addHeaders, Converter keyFormat,
                        Converter valueFormat) {
        this.topics = topics;
        this.partitions = partitions;
        this.addHeaders = addHeaders;
        this.keyFormat = keyFormat;
        this.valueFormat = valueFormat;
    }

    /** The record at {@code lsn} of the log whose records {@code acks} tracks. */
    ReplayedRecord build(Map<String, ?> sourcePartition, long lsn, Envelope e, AckTracker acks) {
        String topic = target(e.topic(), e.partition());
        SchemaAndValue key = data(keyFormat, e.topic(), e.key());
        SchemaAndValue value = data(valueFormat, e.topic(), e.value());
        ConnectHeaders headers = new ConnectHeaders();
        for (EnvelopeHeader h : e.headers()) {
            headers.add(h.key(), data(valueFormat, e.topic(), h.value()));
        }
        String lsnText = Lsn.toString(lsn);
        if (addHeaders) {
            followOrigin(e);
            headers.addBytes(HEADER_LSN, utf8(lsnText));
            // Copies: a transformation may change a header's bytes in place, and must not change another record's.
            headers.addBytes(HEADER_ORIGIN_TOPIC, originTopicBytes.clone());
            headers.addBytes(HEADER_ORIGIN_PARTITION, originPartitionBytes.clone());
            headers.addBytes(HEADER_ORIGIN_OFFSET, utf8(Long.toString(e.offset())));
        }
        return new ReplayedRecord(sourcePartition, SourceOffsets.offset(sourcePartition, lsnText), topic,
                partitions.partition(topic, e.partition(), e.key().bytes()), key.schema(), key.value(), value.schema(), value.value(),
                e.timestamp() >= 0 ? e.timestamp() : null, headers, lsn, acks);
    }

    private String target(String origin, int partition) {
        if (partition != lastPartition || !origin.equals(lastOrigin)) {
            lastTarget = topics.target(origin, partition);
            lastOrigin = origin;
            lastPartition = partition;
        }
        return lastTarget;
    }

    /**
     * An upper bound of the record's size in a Kafka request, from the journaled bytes (for
     * converted data the worker's converter may come out somewhat different).
     */
    int estimatedSize(Envelope e) {
        followOrigin(e);
        return sizeOf(e, addHeaders, originTopicBytes.length);
    }

    /** Encodes the origin topic-partition's header bytes again when it changes. */
    private void followOrigin(Envelope e) {
        if (originTopicBytes == null || e.partition() != textPartition || !e.topic().equals(textOrigin)) {
            originTopicBytes = utf8(e.topic());
            originPartitionBytes = utf8(Integer.toString(e.partition()));
            textOrigin = e.topic();
            textPartition = e.partition();
        }
    }

    /** {@link #estimatedSize}, for a record replayed with or without the clfs.* headers. */
    static int sizeOf(Envelope e, boolean addHeaders) {
        return sizeOf(e, addHeaders, utf8(e.topic()).length);
    }

    private static int sizeOf(Envelope e, boolean addHeaders, int topicBytes) {
        long size = RECORD_OVERHEAD + bytes(e.key()) + bytes(e.value());
        for (EnvelopeHeader h : e.headers()) {
            size += HEADER_OVERHEAD + utf8(h.key()).length + bytes(h.value());
        }
        if (addHeaders) {
            size += 4L * HEADER_OVERHEAD + HEADER_LSN.length() + HEADER_ORIGIN_TOPIC.length()
                    + HEADER_ORIGIN_PARTITION.length() + HEADER_ORIGIN_OFFSET.length() + LSN_TEXT_LENGTH
                    + topicBytes + decimalLength(e.partition()) + decimalLength(e.offset());
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    /** The length of {@code Long.toString(v)}, without making the string. */
    private static int decimalLength(long v) {
        int n = v < 0 ? 2 : 1;
        for (long rest = Math.abs(v / 10); rest != 0; rest /= 10) {
            n++;
        }
        return n;
    }

    private static long bytes(Payload p) {
        return p.bytes() == null ? 0 : p.bytes().length;
    }

    private static SchemaAndValue data(Converter format, String topic, Payload p) {
        return switch (p.encoding()) {
            case NULL -> new SchemaAndValue(Schema.OPTIONAL_BYTES_SCHEMA, null);
            case BYTES -> new SchemaAndValue(Schema.OPTIONAL_BYTES_SCHEMA, p.bytes());
            case CONVERTED -> format.toConnectData(topic, p.bytes());
        };
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

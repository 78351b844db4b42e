package io.clfs.bench.ceiling;

import io.clfs.log.Lsn;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One log's share of the ceiling's records, for one target partition: everything but the offset's
 * LSN text is built once, so that a record costs what Connect makes of it. Used by its task's
 * thread only.
 */
final class CeilingLog {
    /** About what one 100-byte record takes in the sink's journal, so that LSNs advance as the replay's do. */
    private static final long LSN_STRIDE = 160;

    private final String topic;
    private final int partition;
    private final Map<String, String> sourcePartition;
    private final String logId;
    private final byte[] value;
    private final ConnectHeaders headers;
    private final Long timestamp;
    /** Each record gets its own value and headers, as the replay's {@code ReplayRecordBuilder} builds them. */
    private final boolean fresh;
    private final byte[] originTopic;
    private final byte[] originPartition;
    /** The origin offset of the next record, for its fresh clfs.origin.offset header. */
    private long offset;
    private long left;
    private long lsn = Lsn.of(1, 0);

    CeilingLog(String topic, int partition, long records, byte[] value, boolean withHeaders, String originTopic,
               long timestamp, boolean fresh) {
        this.topic = topic;
        this.partition = partition;
        this.logId = UUID.randomUUID().toString();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("log", originTopic + "-" + partition);
        p.put("logId", logId);
        this.sourcePartition = Collections.unmodifiableMap(p); // as SourceOffsets.partition: {log, logId}
        this.value = value;
        this.left = records;
        this.timestamp = timestamp;
        this.headers = withHeaders ? replayHeaders(originTopic, partition, records) : null;
        this.fresh = fresh;
        this.originTopic = utf8(originTopic);
        this.originPartition = utf8(Integer.toString(partition));
    }

    /** The four headers of a replayed record, of the replay's sizes (the offset's as the log's last). */
    private static ConnectHeaders replayHeaders(String originTopic, int partition, long records) {
        ConnectHeaders h = new ConnectHeaders();
        h.addBytes("clfs.lsn", utf8(Lsn.toString(Lsn.of(1, 0))));
        h.addBytes("clfs.origin.topic", utf8(originTopic));
        h.addBytes("clfs.origin.partition", utf8(Integer.toString(partition)));
        h.addBytes("clfs.origin.offset", utf8(Long.toString(Math.max(0, records - 1))));
        return h;
    }

    boolean exhausted() {
        return left == 0;
    }

    SourceRecord next() {
        left--;
        lsn += LSN_STRIDE;
        String lsnText = Lsn.toString(lsn);
        Map<String, String> offset = Map.of("lsn", lsnText, "logId", logId); // as SourceOffsets.offset
        return new SourceRecord(sourcePartition, offset, topic, partition, Schema.OPTIONAL_BYTES_SCHEMA, null,
                Schema.OPTIONAL_BYTES_SCHEMA, fresh ? value.clone() : value, timestamp,
                fresh && headers != null ? freshHeaders(lsnText) : headers);
    }

    /** The four headers as {@code ReplayRecordBuilder.build} makes them for each record. */
    private ConnectHeaders freshHeaders(String lsnText) {
        ConnectHeaders h = new ConnectHeaders();
        h.addBytes("clfs.lsn", utf8(lsnText));
        h.addBytes("clfs.origin.topic", originTopic.clone());
        h.addBytes("clfs.origin.partition", originPartition.clone());
        h.addBytes("clfs.origin.offset", utf8(Long.toString(offset++)));
        return h;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

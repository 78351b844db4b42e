package io.clfs.connect.source;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.Map;

/**
 * A replayed record that keeps its LSN and its log's {@link AckTracker}, so that {@code
 * commitRecord} (on the producer's thread, once per record) finds both without looking the log up
 * by name and parsing the LSN back out of the offset's text. Connect hands {@code commitRecord}
 * the very record {@code poll} returned (before any transformation), so every record the task
 * finishes is one of these. Equality is {@link SourceRecord}'s; immutable.
 */
final class ReplayedRecord extends SourceRecord {
    private final long lsn;
    private final AckTracker acks;

    ReplayedRecord(Map<String, ?> sourcePartition, Map<String, ?> sourceOffset, String topic, Integer partition,
                   Schema keySchema, Object key, Schema valueSchema, Object value, Long timestamp,
                   Iterable<Header> headers, long lsn, AckTracker acks) {
        super(sourcePartition, sourceOffset, topic, partition, keySchema, key, valueSchema, value, timestamp, headers);
        this.lsn = lsn;
        this.acks = acks;
    }

    long lsn() {
        return lsn;
    }

    AckTracker acks() {
        return acks;
    }
}

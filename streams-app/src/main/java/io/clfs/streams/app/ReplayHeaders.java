package io.clfs.streams.app;

import io.clfs.log.Lsn;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;

/**
 * The headers ClfsSourceConnector adds to a replayed record (see docs: kafka-mapping): the LSN in
 * canonical text, and the origin topic, partition and offset as UTF-8 text. Restoring needs the LSN
 * (for duplicates) and the origin topic and partition; the origin offset travels on with the record.
 *
 * @param originPartition -1 when the header is absent: the record then goes wherever the producer's
 *                        default partitioning puts it
 */
record ReplayHeaders(long lsn, String originTopic, int originPartition) {
    static final String LSN = "clfs.lsn";
    static final String ORIGIN_TOPIC = "clfs.origin.topic";
    static final String ORIGIN_PARTITION = "clfs.origin.partition";

    /** Parses the replay headers; {@code where} names the replay record in errors. */
    static ReplayHeaders parse(Headers headers, RecordMetadata where) {
        String lsnText = text(headers, LSN, where, true);
        long lsn;
        try {
            lsn = Lsn.parse(lsnText);
        } catch (IllegalArgumentException e) {
            throw invalid(where, "header " + LSN + ": " + e.getMessage());
        }
        String topic = text(headers, ORIGIN_TOPIC, where, true);
        if (topic.isEmpty()) {
            throw invalid(where, "header " + ORIGIN_TOPIC + " is empty");
        }
        String partitionText = text(headers, ORIGIN_PARTITION, where, false);
        int partition = -1;
        if (partitionText != null) {
            try {
                partition = Integer.parseInt(partitionText);
            } catch (NumberFormatException e) {
                partition = -2;
            }
            if (partition < 0) {
                throw invalid(where, "header " + ORIGIN_PARTITION + " is '" + partitionText
                        + "', expected a partition number in decimal");
            }
        }
        return new ReplayHeaders(lsn, topic, partition);
    }

    private static String text(Headers headers, String name, RecordMetadata where, boolean required) {
        Header h = headers.lastHeader(name);
        if (h == null || h.value() == null) {
            if (required) {
                throw invalid(where, "header " + name + " is missing: not a record replayed by ClfsSourceConnector");
            }
            return null;
        }
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    private static InvalidReplayRecordException invalid(RecordMetadata where, String what) {
        String at = where == null ? "replay record" : "replay record " + where.topic() + "-" + where.partition()
                + "@" + where.offset();
        return new InvalidReplayRecordException(at + ": " + what);
    }
}

package io.clfs.streams;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the journal store keeps for one input record: where it came from (topic, partition,
 * offset), its timestamp, and its key, value and headers as bytes. Key, value and header values
 * may be null, as in Kafka.
 */
public record JournalEnvelope(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                              Headers headers) {
    public JournalEnvelope {
        Objects.requireNonNull(topic, "topic");
        headers = headers == null ? new RecordHeaders() : headers;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JournalEnvelope e && e.topic.equals(topic) && e.partition == partition
                && e.offset == offset && e.timestamp == timestamp && Arrays.equals(e.key, key)
                && Arrays.equals(e.value, value) && sameHeaders(e.headers, headers);
    }

    private static boolean sameHeaders(Headers a, Headers b) {
        Header[] x = a.toArray();
        Header[] y = b.toArray();
        if (x.length != y.length) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            if (!x[i].key().equals(y[i].key()) || !Arrays.equals(x[i].value(), y[i].value())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset, timestamp, Arrays.hashCode(key), Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset + " (key " + length(key) + " B, value " + length(value)
                + " B, " + headers.toArray().length + " headers)";
    }

    private static String length(byte[] b) {
        return b == null ? "null" : Integer.toString(b.length);
    }
}

package io.clfs.connect.envelope;

import java.util.List;

/**
 * One journaled Kafka record: where it came from (topic, partition, offset), its timestamp and
 * type, key, value and headers. A record without a timestamp has {@code timestamp} -1 and kind
 * {@link TimestampKind#NO_TIMESTAMP}.
 */
public record Envelope(String topic, int partition, long offset, long timestamp, TimestampKind timestampKind,
                       Payload key, Payload value, List<EnvelopeHeader> headers) {
    public Envelope {
        if (topic == null) {
            throw new IllegalArgumentException("topic is required");
        }
        if (timestampKind == null) {
            throw new IllegalArgumentException("timestampKind is required");
        }
        key = key == null ? Payload.NULL : key;
        value = value == null ? Payload.NULL : value;
        headers = headers == null ? List.of() : List.copyOf(headers);
    }
}

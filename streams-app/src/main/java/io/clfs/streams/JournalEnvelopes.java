package io.clfs.streams;

import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.EnvelopeHeader;
import io.clfs.connect.envelope.Payload;
import io.clfs.connect.envelope.TimestampKind;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.util.ArrayList;
import java.util.List;

/**
 * The envelope the journal store keeps for one Streams record: where it came from (topic,
 * partition, offset), its timestamp, and its serialized key, value and headers as bytes (null stays
 * null). Streams gives a record's timestamp but not its type: see {@link TimestampKind#forStreams}.
 */
public final class JournalEnvelopes {
    private JournalEnvelopes() {
    }

    public static Envelope of(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                              Headers headers) {
        List<EnvelopeHeader> entries = new ArrayList<>();
        if (headers != null) {
            for (Header h : headers) {
                entries.add(new EnvelopeHeader(h.key(), Payload.bytes(h.value())));
            }
        }
        return new Envelope(topic, partition, offset, timestamp, TimestampKind.forStreams(timestamp),
                Payload.bytes(key), Payload.bytes(value), entries);
    }
}

package io.clfs.connect.sink;

import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.EnvelopeHeader;
import io.clfs.connect.envelope.Payload;
import io.clfs.connect.envelope.TimestampKind;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.storage.Converter;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link SinkRecord} into an {@link Envelope}. Bytes (from ByteArrayConverter) are kept
 * exactly; any other Connect data is serialized with the format converter, so that the source
 * connector can rebuild it with the same converter. The envelope names the record by its original
 * topic, partition and offset (before any transformation), the coordinates the sink commits.
 */
final class RecordEnveloper {
    private final Converter keyFormat;
    private final Converter valueFormat;

    RecordEnveloper(Converter keyFormat, Converter valueFormat) {
        this.keyFormat = keyFormat;
        this.valueFormat = valueFormat;
    }

    /** Throws (DataException or any runtime exception from the converter) when a field cannot be serialized. */
    Envelope envelope(SinkRecord r) {
        String topic = r.originalTopic();
        List<EnvelopeHeader> headers = new ArrayList<>();
        for (Header h : r.headers()) {
            headers.add(new EnvelopeHeader(h.key(), payload(valueFormat, topic, h.schema(), h.value())));
        }
        Long ts = r.timestamp();
        return new Envelope(topic, r.originalKafkaPartition(), r.originalKafkaOffset(), ts == null ? -1 : ts,
                ts == null ? TimestampKind.NO_TIMESTAMP : timestampKind(r), payload(keyFormat, topic, r.keySchema(), r.key()),
                payload(valueFormat, topic, r.valueSchema(), r.value()), headers);
    }

    private static TimestampKind timestampKind(SinkRecord r) {
        return switch (r.timestampType()) {
            case CREATE_TIME -> TimestampKind.CREATE_TIME;
            case LOG_APPEND_TIME -> TimestampKind.LOG_APPEND_TIME;
            default -> TimestampKind.NO_TIMESTAMP;
        };
    }

    private static Payload payload(Converter format, String topic, Schema schema, Object value) {
        if (value == null) {
            return Payload.NULL;
        }
        if (value instanceof byte[] raw) {
            return Payload.bytes(raw);
        }
        if (value instanceof ByteBuffer buffer && (schema == null || schema.type() == Schema.Type.BYTES)) {
            ByteBuffer d = buffer.duplicate();
            byte[] raw = new byte[d.remaining()];
            d.get(raw);
            return Payload.bytes(raw);
        }
        byte[] serialized = format.fromConnectData(topic, schema, value);
        if (serialized == null) {
            throw new DataException("format converter " + format.getClass().getName()
                    + " serialized a non-null value to null");
        }
        return Payload.converted(serialized);
    }
}

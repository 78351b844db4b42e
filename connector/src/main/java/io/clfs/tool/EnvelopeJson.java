package io.clfs.tool;

import com.fasterxml.jackson.core.JsonGenerator;
import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.connect.envelope.EnvelopeFormatException;
import io.clfs.connect.envelope.EnvelopeHeader;
import io.clfs.connect.envelope.Payload;
import io.clfs.log.LogRecord;
import io.clfs.log.RecordType;

import java.io.IOException;
import java.util.Locale;

/**
 * The Kafka fields of a data record that holds an envelope (the sink's, or the Streams journal's in
 * either layout: {@link EnvelopeCodec#decode} reads both), for {@code clfs dump --json}:
 * {@code topic}, {@code partition}, {@code offset}, {@code timestamp}, {@code timestampType},
 * {@code key} and {@code value} (base64 or null, each with its encoding: null, bytes or converted),
 * and {@code headers} as a list of {@code {"key", "value", "valueEncoding"}} in their original order
 * (names may repeat).
 */
final class EnvelopeJson {
    private EnvelopeJson() {
    }

    /** Writes the envelope's fields into the open object; a record that is no envelope adds nothing. */
    static void write(JsonGenerator g, LogRecord r) throws IOException {
        if (r.type() != RecordType.DATA || !EnvelopeCodec.isEnvelope(r.data())) {
            return;
        }
        Envelope e;
        try {
            e = EnvelopeCodec.decode(r.data());
        } catch (EnvelopeFormatException bad) {
            g.writeStringField("envelopeError", bad.getMessage());
            return;
        }
        g.writeStringField("topic", e.topic());
        g.writeNumberField("partition", e.partition());
        g.writeNumberField("offset", e.offset());
        g.writeNumberField("timestamp", e.timestamp());
        g.writeStringField("timestampType", e.timestampKind().name());
        payload(g, "key", e.key());
        payload(g, "value", e.value());
        g.writeArrayFieldStart("headers");
        for (EnvelopeHeader h : e.headers()) {
            g.writeStartObject();
            g.writeStringField("key", h.key());
            payload(g, "value", h.value());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void payload(JsonGenerator g, String field, Payload p) throws IOException {
        if (p.isNull()) {
            g.writeNullField(field);
        } else {
            g.writeBinaryField(field, p.bytes());
        }
        g.writeStringField(field + "Encoding", p.encoding().name().toLowerCase(Locale.ROOT));
    }
}

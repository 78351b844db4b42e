package io.clfs.streams.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.clfs.log.Lsn;
import io.clfs.streams.Journaled;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The value of a receipt: JSON naming where a record was journaled and where it came from, e.g.
 * {@code {"lsn":"00000001:00000200","topic":"orders","partition":3,"offset":42}}. The LSN is in
 * its canonical text form, the one headers and tools use.
 */
final class Receipts {
    private static final JsonFactory JSON = new JsonFactory();

    private Receipts() {
    }

    static byte[] encode(Journaled j) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("lsn", Lsn.toString(j.lsn()));
            g.writeStringField("topic", j.topic());
            g.writeNumberField("partition", j.partition());
            g.writeNumberField("offset", j.offset());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a receipt to memory", e);
        }
        return out.toByteArray();
    }
}

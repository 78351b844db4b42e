package io.clfs.tool;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.clfs.log.Lsn;

import java.io.IOException;
import java.io.Writer;

/** JSON output: LSNs in canonical text, null for none. */
final class Json {
    // No separator between root values: each verb ends its own lines, so one object per line holds.
    private static final JsonFactory FACTORY = new JsonFactoryBuilder().rootValueSeparator((String) null)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private Json() {
    }

    static JsonGenerator generator(Writer out) throws IOException {
        return FACTORY.createGenerator(out);
    }

    static void lsn(JsonGenerator g, String field, long lsn) throws IOException {
        if (lsn == Lsn.INVALID) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, Lsn.toString(lsn));
        }
    }

    /** Ends the current root value's line. */
    static void endLine(JsonGenerator g, Writer out) throws IOException {
        g.flush();
        out.write('\n');
    }
}

package io.clfs.tool;

import com.fasterxml.jackson.core.JsonGenerator;
import io.clfs.connect.source.RangeStart;
import io.clfs.connect.source.ReplaySelection;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogKind;
import io.clfs.log.LogRecord;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import io.clfs.log.RecordFilter;
import io.clfs.log.RecordType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code clfs dump}: readable records in LSN order, as text lines or JSON lines. */
@Command(name = "dump",
        description = {"Prints the readable records in LSN order, one per line, from the lower tail (or --from) up"
                + " to the durable end (or --to, inclusive). Opens the log read-only.",
                "Text: LSN TYPE stream=S previous=LSN undoNext=LSN length=N data=\"escaped UTF-8\" (or hex=..."
                        + " when the bytes are not UTF-8).",
                "JSON: one object per line with lsn, stream, type, previous, undoNext, length and data (base64).",
                "A multiplexed log without --stream dumps every stream, each from the later of --from and"
                        + " its own lower tail; with one stream, --from below its tails is an error.",
                "--from-time/--to-time/--from-offset/--to-offset keep the data records holding a sink envelope"
                        + " stamped in [from-time, to-time) with an origin offset in [from-offset, to-offset)"
                        + " (restart records stay, unless --type data); reading starts at the last sink restart"
                        + " area before which no record is selected."})
final class DumpCommand extends Verb {
    @Mixin
    LogDir log;

    @Mixin
    StreamOption stream;

    @Mixin
    JsonOption format;

    @Option(names = "--from", paramLabel = "LSN", converter = LsnConverter.class,
            description = "Start at this record (or block start); default: the lower of the two tails.")
    Long from;

    @Option(names = "--to", paramLabel = "LSN", converter = LsnConverter.class,
            description = "Stop after the records at or below this LSN.")
    Long to;

    @Mixin
    SelectionOptions select;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "all", converter = RecordTypeConverter.class,
            description = "data, restart or all (default).")
    RecordFilter type;

    @Override
    int run() throws IOException {
        ReplaySelection selection = select.selection();
        try (ClfsLog reader = log.openReader()) {
            MergedRecords records = new MergedRecords(sources(reader, selection));
            PrintWriter out = out();
            try (JsonGenerator g = format.json ? Json.generator(out) : null) {
                LogRecord r;
                while ((r = records.next()) != null && (to == null || !Lsn.less(to, r.lsn()))) {
                    if (!type.accepts(r.type()) || !SelectionOptions.selects(selection, r)) {
                        continue;
                    }
                    if (g != null) {
                        json(g, r);
                        Json.endLine(g, out);
                    } else {
                        out.println(text(r));
                    }
                }
            }
        }
        return ClfsTool.OK;
    }

    /** Each stream from its start; with a selection, from the restart area before which nothing is selected. */
    private List<MergedRecords.Source> sources(ClfsLog reader, ReplaySelection selection) {
        if (stream.name != null || reader.kind() == LogKind.DEDICATED) {
            LogStream s = stream.existing(reader);
            return List.of(new MergedRecords.Source(s, RangeStart.find(s, selection, from != null ? from : s.lowerTail())));
        }
        List<MergedRecords.Source> all = new ArrayList<>();
        for (String name : reader.streamNames()) {
            LogStream s = reader.stream(name);
            long tail = s.lowerTail();
            all.add(new MergedRecords.Source(s, RangeStart.find(s, selection,
                    from == null || Lsn.less(from, tail) ? tail : from)));
        }
        return all;
    }

    private static String text(LogRecord r) {
        return Lsn.toString(r.lsn()) + " " + typeName(r) + " stream=" + r.stream() + " previous="
                + Text.lsn(r.previous()) + " undoNext=" + Text.lsn(r.undoNext()) + " length=" + r.data().remaining()
                + " " + Text.bytes(r.bytes());
    }

    private static void json(JsonGenerator g, LogRecord r) throws IOException {
        g.writeStartObject();
        g.writeStringField("lsn", Lsn.toString(r.lsn()));
        g.writeStringField("stream", r.stream());
        g.writeStringField("type", typeName(r));
        Json.lsn(g, "previous", r.previous());
        Json.lsn(g, "undoNext", r.undoNext());
        g.writeNumberField("length", r.data().remaining());
        g.writeBinaryField("data", r.bytes());
        EnvelopeJson.write(g, r);
        g.writeEndObject();
    }

    private static String typeName(LogRecord r) {
        return r.type() == RecordType.DATA ? "data" : "restart";
    }
}

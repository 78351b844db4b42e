package io.clfs.tool;

import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.connect.source.ReplaySelection;
import io.clfs.log.LogRecord;
import io.clfs.log.RecordType;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --from-time --to-time --from-offset --to-offset}: the source connector's timestamp and
 * origin offset ranges ({@code clfs.replay.from.timestamp} ...), over sink envelopes: a record is
 * selected when its timestamp is in [from-time, to-time) and its origin offset in [from-offset,
 * to-offset).
 */
final class SelectionOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--from-time", paramLabel = "TIME", converter = TimestampConverter.class,
            description = "Only envelopes stamped at or after TIME (epoch ms, or ISO-8601 with a zone offset).")
    Long fromTime;

    @Option(names = "--to-time", paramLabel = "TIME", converter = TimestampConverter.class,
            description = "Only envelopes stamped before TIME.")
    Long toTime;

    @Option(names = "--from-offset", paramLabel = "N", description = "Only envelopes of origin offset N or more.")
    Long fromOffset;

    @Option(names = "--to-offset", paramLabel = "N", description = "Only envelopes of origin offset below N.")
    Long toOffset;

    /** The selection; a usage error when a range holds nothing. */
    ReplaySelection selection() {
        ReplaySelection s = new ReplaySelection(or(fromTime, ReplaySelection.UNBOUNDED_FROM),
                or(toTime, ReplaySelection.UNBOUNDED_TO), or(fromOffset, ReplaySelection.UNBOUNDED_FROM),
                or(toOffset, ReplaySelection.UNBOUNDED_TO));
        if (fromOffset != null && fromOffset < 0) {
            throw usage("--from-offset must be 0 or more");
        }
        if (s.fromTimestamp() >= s.toTimestamp()) {
            throw usage("--to-time must be after --from-time: the range [from, to) holds nothing");
        }
        if (s.fromOffset() >= s.toOffset()) {
            throw usage("--to-offset must be above --from-offset: the range [from, to) holds nothing");
        }
        return s;
    }

    /** A data record holding a sink envelope the selection takes; every record when nothing is selected. */
    static boolean selects(ReplaySelection selection, LogRecord r) {
        if (selection.all() || r.type() != RecordType.DATA) {
            return true;
        }
        if (!EnvelopeCodec.isEnvelope(r.data())) {
            return false;
        }
        EnvelopeCodec.Fixed f = EnvelopeCodec.decodeFixed(r.data());
        return selection.selects(f.offset(), f.timestamp());
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private static long or(Long value, long unbounded) {
        return value == null ? unbounded : value;
    }
}

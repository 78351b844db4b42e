package io.clfs.tool;

import com.fasterxml.jackson.core.JsonGenerator;
import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.connect.source.RecordedOrigins;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogInfo;
import io.clfs.log.LogKind;
import io.clfs.log.LogPolicy;
import io.clfs.log.Lsn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * {@code clfs info}: the log's state as a read-only opener sees it. The top-level stream fields
 * (base LSN, archive tail, last and restart LSN) describe the selected stream: the dedicated log's
 * one stream, or {@code --stream S}; every stream is listed under {@code streams} as well.
 */
@Command(name = "info",
        description = {"Prints the log's state: the selected stream's base LSN, archive tail, last LSN and newest"
                + " restart LSN; the durable end; policies; free and reserved space; the owner epoch, whether the"
                + " last writer closed the log, and where the newest takeover fenced an older writer; the"
                + " containers (file, physical id, logical id, state, fence offset, stale); the streams. Opens"
                + " the log read-only.",
                "A multiplexed log without --stream prints no stream on its own, only the list of streams."
                        + " Reserved space is the writer's in-memory state, so a read-only opener sees 0."})
final class InfoCommand extends Verb {
    @Mixin
    LogDir log;

    @Mixin
    StreamOption stream;

    @Mixin
    JsonOption format;

    @Override
    int run() throws IOException {
        try (ClfsLog reader = log.openReader()) {
            String selected = stream.name != null || reader.kind() == LogKind.DEDICATED
                    ? stream.existing(reader).name() : null;
            LogInfo info = reader.info();
            LogInfo.StreamInfo s = selected != null ? info.stream(selected) : null;
            SinkRestartArea recorded = selected != null ? RecordedOrigins.newestOf(reader.stream(selected)) : null;
            if (format.json) {
                json(info, s, recorded);
            } else {
                text(info, s, recorded);
            }
        }
        return ClfsTool.OK;
    }

    private void text(LogInfo info, LogInfo.StreamInfo s, SinkRestartArea recorded) {
        PrintWriter out = out();
        LogPolicy p = info.policy();
        out.println("log " + info.dir());
        out.println("logId " + info.logId());
        out.println("kind " + lower(info.kind()));
        out.println("archive " + info.archiveEnabled());
        if (s != null) {
            out.println("stream " + s.name());
            streamLines(out, info, s, "");
        }
        if (recorded != null && recorded.origin() != null) {
            OriginText.text(out, recorded);
        }
        out.println("durableEnd " + Lsn.toString(info.durableEnd()));
        out.println("containerSize " + p.containerSize());
        out.println("blockSize " + p.blockSize());
        out.println("minContainers " + p.minContainers());
        out.println("maxContainers " + p.maxContainers());
        out.println("growthStep " + p.growthStep());
        out.println("freeSpaceTarget " + p.freeSpaceTargetPercent());
        out.println("autoShrink " + p.autoShrinkPercent());
        out.println("freeBytes " + info.freeBytes());
        out.println("reservedBytes " + info.reservedBytes());
        out.println("ownerEpoch " + info.ownerEpoch());
        out.println("closedCleanly " + info.closedCleanly());
        if (info.fenceEpoch() > 0) {
            out.println("fence " + Lsn.toString(info.fence()) + " epoch " + info.fenceEpoch());
        }
        for (LogInfo.StreamInfo each : info.streams()) {
            out.println("streams " + each.name());
            streamLines(out, info, each, "  ");
        }
        for (LogInfo.ContainerInfo c : info.containers()) {
            out.println("container " + c.file() + " physicalId " + c.physicalId() + " logicalId " + c.logicalId()
                    + " state " + lower(c.state()) + (c.fenceOffset() > 0 ? " fenceOffset " + c.fenceOffset() : "")
                    + (c.stale() ? " stale" : ""));
        }
    }

    private static void streamLines(PrintWriter out, LogInfo info, LogInfo.StreamInfo s, String indent) {
        out.println(indent + "baseLsn " + Text.lsn(s.baseLsn()));
        out.println(indent + "archiveTail " + Text.lsn(Text.archiveTail(info.archiveEnabled(), s.archiveTail())));
        out.println(indent + "lastLsn " + Text.lsn(s.lastLsn()));
        out.println(indent + "restartLsn " + Text.lsn(s.restartLsn()));
    }

    private void json(LogInfo info, LogInfo.StreamInfo s, SinkRestartArea recorded) throws IOException {
        LogPolicy p = info.policy();
        PrintWriter out = out();
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartObject();
            g.writeStringField("log", info.dir().toString());
            g.writeStringField("logId", info.logId());
            g.writeStringField("kind", lower(info.kind()));
            g.writeBooleanField("archive", info.archiveEnabled());
            g.writeStringField("stream", s != null ? s.name() : null);
            streamFields(g, info, s);
            OriginText.json(g, recorded);
            Json.lsn(g, "durableEnd", info.durableEnd());
            g.writeNumberField("containerSize", p.containerSize());
            g.writeNumberField("blockSize", p.blockSize());
            g.writeNumberField("minContainers", p.minContainers());
            g.writeNumberField("maxContainers", p.maxContainers());
            g.writeNumberField("growthStep", p.growthStep());
            g.writeNumberField("freeSpaceTarget", p.freeSpaceTargetPercent());
            g.writeNumberField("autoShrink", p.autoShrinkPercent());
            g.writeStringField("prefix", p.containerPrefix());
            g.writeStringField("suffix", p.containerSuffix());
            g.writeNumberField("freeBytes", info.freeBytes());
            g.writeNumberField("reservedBytes", info.reservedBytes());
            g.writeNumberField("ownerEpoch", info.ownerEpoch());
            g.writeBooleanField("closedCleanly", info.closedCleanly());
            g.writeNumberField("fenceEpoch", info.fenceEpoch());
            Json.lsn(g, "fence", info.fence());
            g.writeArrayFieldStart("containers");
            for (LogInfo.ContainerInfo c : info.containers()) {
                g.writeStartObject();
                g.writeStringField("file", c.file());
                g.writeNumberField("physicalId", c.physicalId());
                g.writeNumberField("logicalId", c.logicalId());
                g.writeStringField("state", lower(c.state()));
                g.writeNumberField("fenceOffset", c.fenceOffset());
                g.writeBooleanField("stale", c.stale());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("streams");
            for (LogInfo.StreamInfo each : info.streams()) {
                g.writeStartObject();
                g.writeStringField("name", each.name());
                streamFields(g, info, each);
                g.writeNumberField("reservedBytes", each.reservedBytes());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            Json.endLine(g, out);
        }
    }

    /** Null fields when no stream is selected: the keys are there for every log, so scripts need no guard. */
    private static void streamFields(JsonGenerator g, LogInfo info, LogInfo.StreamInfo s) throws IOException {
        Json.lsn(g, "baseLsn", s != null ? s.baseLsn() : Lsn.INVALID);
        Json.lsn(g, "archiveTail", s != null ? Text.archiveTail(info.archiveEnabled(), s.archiveTail()) : Lsn.INVALID);
        Json.lsn(g, "lastLsn", s != null ? s.lastLsn() : Lsn.INVALID);
        Json.lsn(g, "restartLsn", s != null ? s.restartLsn() : Lsn.INVALID);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}

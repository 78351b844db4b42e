package io.clfs.tool;

import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.connect.source.RecordedOrigins;
import io.clfs.connect.source.ClfsSourceConfig;
import io.clfs.connect.source.OriginName;
import io.clfs.connect.source.Preflight;
import io.clfs.connect.source.RangeSurvey;
import io.clfs.connect.source.ReplaySelection;
import io.clfs.connect.source.TargetTopic;
import io.clfs.connect.source.TimestampText;
import io.clfs.log.ClfsLog;
import io.clfs.log.Lsn;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code clfs restore-check}: what a range replay would produce, and the source connector's preflight, without producing. */
@Command(name = "restore-check",
        description = {"Reads the selected range of each sink log (as the source connector's range mode would) and"
                + " prints, per origin partition: records, bytes (in Kafka requests), the largest record, the time"
                + " span and records without a key, and, below it, the origin topic the sink recorded (topic id,"
                + " partition count, max.message.bytes, retention, cleanup.policy; with clfs.origin.bootstrap.servers);"
                + " then a total line.",
                "With --bootstrap and --topic it runs the connector's preflight against that target topic"
                        + " (partition count, max.message.bytes, retention.ms, retention.bytes, compaction) and"
                        + " prints each problem with its fix; exit code 1 when there is one. Nothing is produced."})
final class RestoreCheckCommand extends Verb {
    @Parameters(arity = "1..*", paramLabel = "LOG", description = "Sink log directories (<topic>-<partition>).")
    List<Path> logs;

    @Option(names = "--bootstrap", paramLabel = "SERVERS", description = "The target cluster.")
    String bootstrap;

    @Option(names = "--topic", paramLabel = "T", description = "The target topic the logs would be replayed into.")
    String topic;

    @Option(names = "--mapping", paramLabel = "M", defaultValue = "none",
            description = "none (default), hash or modulo: as clfs.replay.partition.mapping.")
    String mapping;

    @Option(names = "--no-headers", description = "The replay adds no clfs.* headers (clfs.replay.headers=false).")
    boolean noHeaders;

    @Mixin
    SelectionOptions select;

    @Override
    int run() throws Exception {
        ReplaySelection selection = select.selection();
        List<RangeSurvey> surveys = new ArrayList<>();
        List<SinkRestartArea> recorded = new ArrayList<>();
        int originPartitions = 0;
        String origin = null;
        for (Path dir : logs) {
            OriginName name = OriginName.parse(dir.getFileName().toString());
            try (ClfsLog log = ClfsLog.openReadOnly(dir)) {
                RangeSurvey s = RangeSurvey.of(name == null ? "?" : name.topic(), name == null ? -1 : name.partition(),
                        log.stream(), selection, Lsn.INVALID, Lsn.INVALID, !noHeaders);
                surveys.add(s);
                SinkRestartArea ra = RecordedOrigins.newestOf(log.stream());
                recorded.add(ra);
                // The recorded count also counts the partitions no log here holds.
                originPartitions = Math.max(originPartitions, Math.max(s.originPartition() + 1,
                        ra != null ? ra.origin().partitions() : 0));
                origin = s.originTopic();
            }
        }
        PrintWriter out = out();
        for (int i = 0; i < surveys.size(); i++) {
            RangeSurvey s = surveys.get(i);
            out.println(line(s.originTopic() + "-" + s.originPartition(), s.records(), s.bytes(), s.largest(),
                    s.oldestTimestamp(), s.newestTimestamp(), s.nullKeys()));
            if (recorded.get(i) != null) {
                out.println("  " + OriginText.line(recorded.get(i).origin()));
            }
        }
        out.println(line("total", surveys.stream().mapToLong(RangeSurvey::records).sum(),
                surveys.stream().mapToLong(RangeSurvey::bytes).sum(),
                surveys.stream().mapToLong(RangeSurvey::largest).max().orElse(0),
                surveys.stream().mapToLong(RangeSurvey::oldestTimestamp).filter(t -> t >= 0).min().orElse(-1),
                surveys.stream().mapToLong(RangeSurvey::newestTimestamp).max().orElse(-1),
                surveys.stream().mapToLong(RangeSurvey::nullKeys).sum()));
        if (bootstrap == null || topic == null) {
            return ClfsTool.OK;
        }
        ClfsSourceConfig.PartitionMapping m = ClfsSourceConfig.PartitionMapping.valueOf(mapping.toUpperCase(
                java.util.Locale.ROOT));
        TargetTopic target;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            target = TargetTopic.describe(admin, List.of(topic)).get(topic);
        }
        if (target == null) {
            throw new IllegalStateException("target topic " + topic + " does not exist on " + bootstrap
                    + ": create it with " + originPartitions + " partitions and retention.ms=-1");
        }
        List<String> problems = Preflight.problems(target, origin, originPartitions, m, surveys,
                System.currentTimeMillis());
        problems.forEach(p -> out.println("problem: " + p));
        if (problems.isEmpty()) {
            out.println("preflight: ok (target topic " + topic + ", " + target.partitions() + " partitions)");
        }
        return problems.isEmpty() ? ClfsTool.OK : ClfsTool.FAILED;
    }

    private static String line(String what, long records, long bytes, long largest, long oldest, long newest,
                               long nullKeys) {
        return what + " records=" + records + " bytes=" + bytes + " largest=" + largest + " from="
                + (oldest < 0 ? "none" : TimestampText.format(oldest)) + " to="
                + (newest < 0 ? "none" : TimestampText.format(newest)) + " nullKeys=" + nullKeys;
    }
}

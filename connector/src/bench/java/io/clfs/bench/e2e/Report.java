package io.clfs.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The table of one run, the ratios the project's goals are stated in, and the machine and settings. */
final class Report {
    /** A ratio of two pipelines and the goal issue #14 sets for it (NaN: none, only a figure to read). */
    private record Ratio(String name, Pipeline over, Pipeline under, double goal) {
    }

    private static final List<Ratio> RATIOS = List.of(
            new Ratio("sink / FileStreamSink", Pipeline.CLFS_SINK, Pipeline.FILE_SINK, 1.0),
            new Ratio("sink over --scale partitions / over --partitions", Pipeline.CLFS_SINK_SCALE, Pipeline.CLFS_SINK,
                    0.8),
            new Ratio("replay / FileStreamSource", Pipeline.CLFS_REPLAY, Pipeline.FILE_SOURCE, 1.0),
            new Ratio("replay / producer", Pipeline.CLFS_REPLAY, Pipeline.PRODUCER, 0.8),
            new Ratio("EOS replay / producer", Pipeline.CLFS_REPLAY_EOS, Pipeline.PRODUCER, 0.5),
            // The ceilings against the replay's goals: whether Connect lets any source meet them here.
            new Ratio("ceiling / producer", Pipeline.CEILING_SOURCE, Pipeline.PRODUCER, 0.8),
            new Ratio("ceiling without headers / producer", Pipeline.CEILING_SOURCE_NOHEADERS, Pipeline.PRODUCER, 0.8),
            new Ratio("EOS ceiling / producer", Pipeline.CEILING_SOURCE_EOS, Pipeline.PRODUCER, 0.5),
            new Ratio("replay / ceiling", Pipeline.CLFS_REPLAY, Pipeline.CEILING_SOURCE, Double.NaN),
            new Ratio("replay / fresh ceiling", Pipeline.CLFS_REPLAY, Pipeline.CEILING_SOURCE_FRESH, Double.NaN),
            new Ratio("fresh ceiling / ceiling", Pipeline.CEILING_SOURCE_FRESH, Pipeline.CEILING_SOURCE, Double.NaN),
            new Ratio("EOS replay / EOS ceiling", Pipeline.CLFS_REPLAY_EOS, Pipeline.CEILING_SOURCE_EOS, Double.NaN));

    private final BenchOptions options;
    private final Map<Pipeline, Result> results;
    private final Map<Pipeline, WorkerUse> workerUse;
    private final Machine machine;
    private final Instant started;
    private final String loadAtStart;
    private final String loadAtEnd;

    Report(BenchOptions options, Map<Pipeline, Result> results, Map<Pipeline, WorkerUse> workerUse, Machine machine,
           Instant started, String loadAtStart, String loadAtEnd) {
        this.options = options;
        this.results = results;
        this.workerUse = workerUse;
        this.machine = machine;
        this.started = started;
        this.loadAtStart = loadAtStart;
        this.loadAtEnd = loadAtEnd;
    }

    String markdown() {
        List<String> out = new ArrayList<>();
        out.add("#### " + started.truncatedTo(ChronoUnit.SECONDS) + (options.smoke() ? " (SMOKE RUN: "
                + options.records() + " records, not the project's figure)" : "") + ": "
                + String.format("%,d records of %d B, %d partitions%s, tasks.max=%d", options.records(),
                options.recordSize(), options.partitions(), options.scalePartitions() > 0
                        ? " (clfs-sink-scale: " + options.scalePartitions() + ")" : "", options.tasks()));
        out.add("");
        out.add("| pipeline | records/s | seconds | note |");
        out.add("|---|---:|---:|---|");
        for (Result r : results.values()) {
            out.add(String.format("| %s | %,.0f | %.2f | %s |", r.pipeline().title, r.recordsPerSecond(), r.seconds(),
                    r.note()));
        }
        out.add("");
        out.add("| ratio | measured | goal (issue #14) |");
        out.add("|---|---:|---:|");
        for (Ratio ratio : RATIOS) {
            Result over = results.get(ratio.over());
            Result under = results.get(ratio.under());
            if (over != null && under != null) {
                double value = over.recordsPerSecond() / under.recordsPerSecond();
                out.add(String.format("| %s | %.2fx | %s |", ratio.name(), value, Double.isNaN(ratio.goal()) ? "-"
                        : String.format(">= %.1fx %s", ratio.goal(), value >= ratio.goal() ? "met" : "MISSED")));
            }
        }
        if (!workerUse.isEmpty()) {
            out.add("");
            out.add("| sink, when done | logs on disk (du) | open files per partition"
                    + " | worker heap above idle (after GC) |");
            out.add("|---|---:|---:|---:|");
            workerUse.forEach((p, u) -> out.add(String.format("| %s | %,d KiB | %.2f | %,d MiB |", p.title, u.diskKiB(),
                    u.openFilesPerPartition(), u.heapAboveIdleKiB() >> 10)));
        }
        out.add("");
        out.add(String.format("- Machine: %d CPUs (%s), %s RAM; work dir: %s; %s; %s; Kafka %s.", machine.cpus(),
                machine.cpuModel(), machine.memory(), machine.disk(), machine.kernel(), machine.jdk(), machine.kafka()));
        out.add("- Load average (1/5/15 min) at start " + loadAtStart + ", at end " + loadAtEnd
                + (machine.cpus() <= 2 ? "; a shared 2-core machine makes single runs noisy" : "") + ".");
        out.add("- Settings: one KRaft broker and one distributed worker per phase, separate JVMs (broker -Xmx1g,"
                + " worker -Xmx2g), offset.flush.interval.ms=1000, plugin.discovery=service_load; connectors from"
                + " config/clfs-sink.json and config/clfs-source.json with clfs.retention.ms=0 and"
                + " clfs.restart.interval.ms=1000 (the sink releases what it journaled within about a second) and"
                + " errors.tolerance=none; revision " + options.revision() + ".");
        out.add("");
        return String.join("\n", out);
    }

    void appendTo() throws IOException {
        Files.writeString(options.docs(), "\n" + markdown(), StandardOpenOption.APPEND);
    }
}

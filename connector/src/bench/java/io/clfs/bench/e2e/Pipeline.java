package io.clfs.bench.e2e;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the benchmark measures, in the order it runs them (the exactly-once ones last: they need a
 * worker of their own); each names the pipeline whose output it reads.
 */
enum Pipeline {
    PRODUCER("producer", "`ProducerPerformance` (acks=all, batch.size=131072, linger.ms=20)", null),
    FILE_SINK("file-sink", "FileStreamSink (no fsync)", null),
    CLFS_SINK("clfs-sink", "ClfsSinkConnector (fsync before every commit)", null),
    CLFS_SINK_SCALE("clfs-sink-scale", "ClfsSinkConnector over the --scale partitions", null),
    WARM_UP("warm-up", "warm-up: the fresh ceiling, before the sources on the worker, so that the first of them does"
            + " not pay alone for compiling Connect's source path (only when listed)", null),
    FILE_SOURCE("file-source", "FileStreamSource re-reading the lines", FILE_SINK),
    CLFS_REPLAY("clfs-replay", "ClfsSourceConnector replay (archive mode, no EOS)", CLFS_SINK),
    CEILING_SOURCE("ceiling-source", "ceiling: a source handing Connect pre-built replay-shaped records (no EOS)",
            null),
    CEILING_SOURCE_NOHEADERS("ceiling-source-noheaders", "ceiling without the clfs.* headers (no EOS)", null),
    CEILING_SOURCE_FRESH("ceiling-source-fresh", "ceiling, each record with its own value and header objects, as the"
            + " replay builds them (no EOS)", null),
    CLFS_REPLAY_EOS("clfs-replay-eos", "ClfsSourceConnector replay, exactly.once.source.support=enabled"
            + " (transaction.boundary=poll)", CLFS_SINK),
    CEILING_SOURCE_EOS("ceiling-source-eos", "ceiling, exactly.once.source.support=enabled"
            + " (transaction.boundary=poll)", null);

    final String id;
    final String title;
    /** The pipeline whose output this one reads, or null. */
    private final Pipeline input;

    Pipeline(String id, String title, Pipeline input) {
        this.id = id;
        this.title = title;
        this.input = input;
    }

    static List<String> names() {
        return Arrays.stream(values()).map(p -> p.id).toList();
    }

    static Set<Pipeline> parse(String list) {
        Set<Pipeline> chosen = new LinkedHashSet<>();
        for (String name : list.split(",")) {
            String n = name.strip();
            chosen.add(Arrays.stream(values()).filter(p -> p.id.equals(n)).findFirst()
                    .orElseThrow(() -> new BenchOptions.UsageException("unknown pipeline '" + n + "'; known: "
                            + String.join(",", names()))));
        }
        chosen.add(PRODUCER); // the input of every other pipeline, and the reference of the ratios
        EnumSet<Pipeline> ordered = EnumSet.copyOf(chosen);
        return new LinkedHashSet<>(ordered);
    }

    static void checkInputs(Set<Pipeline> chosen) {
        for (Pipeline p : chosen) {
            if (p.input != null && !chosen.contains(p.input)) {
                throw new BenchOptions.UsageException(p.id + " reads what " + p.input.id + " wrote: add "
                        + p.input.id + " to --pipelines");
            }
        }
    }
}

package io.clfs.bench.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The settings of one {@code bin/bench} run: what the user chose, and where {@code bin/bench} put the
 * class path, the plugin and the work directory.
 */
record BenchOptions(long records, int recordSize, int partitions, int scalePartitions, int tasks,
                    Set<Pipeline> pipelines,
                    boolean appendDocs, long timeoutSeconds, Path workDir, Path pluginDir, Path kafkaClassPath,
                    Path log4jConfig, Path configDir, Path docs, String revision) {
    static final long DEFAULT_RECORDS = 1_000_000;
    static final String USAGE = "usage: bin/bench [--records N] [--size BYTES] [--partitions P] [--scale P2] [--tasks T]"
            + " [--pipelines LIST] [--timeout SECONDS] [--no-append-docs]\n"
            + "  --scale P2: also runs the sink over a topic of P2 partitions, the same records (clfs-sink-scale)\n"
            + "  LIST: comma-separated, of " + String.join(",", Pipeline.names()) + " (default: all)";

    static BenchOptions parse(String[] args) {
        long records = DEFAULT_RECORDS;
        int size = 100;
        int partitions = 6;
        int scale = 0;
        int tasks = 3;
        long timeout = 900;
        Set<Pipeline> pipelines = new LinkedHashSet<>(List.of(Pipeline.values()));
        boolean appendDocs = true;
        boolean listed = false;
        Path work = null;
        Path plugin = null;
        Path classPath = null;
        Path log4j = null;
        Path configDir = null;
        Path docs = null;
        String revision = "unknown";
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
            switch (option) {
                case "--no-append-docs" -> appendDocs = false;
                case "--help", "-h" -> throw new UsageException(null);
                default -> {
                    if (rest.isEmpty()) {
                        throw new UsageException(option + " needs a value");
                    }
                    String value = rest.remove(0);
                    switch (option) {
                        case "--records" -> records = positive(option, value);
                        case "--size" -> size = (int) positive(option, value);
                        case "--partitions" -> partitions = (int) positive(option, value);
                        case "--scale" -> scale = (int) positive(option, value);
                        case "--tasks" -> tasks = (int) positive(option, value);
                        case "--timeout" -> timeout = positive(option, value);
                        case "--pipelines" -> {
                            pipelines = Pipeline.parse(value);
                            listed = true;
                        }
                        case "--work-dir" -> work = Path.of(value);
                        case "--plugin-dir" -> plugin = Path.of(value);
                        case "--kafka-classpath" -> classPath = Path.of(value);
                        case "--log4j-config" -> log4j = Path.of(value);
                        case "--config-dir" -> configDir = Path.of(value);
                        case "--docs" -> docs = Path.of(value);
                        case "--revision" -> revision = value;
                        default -> throw new UsageException("unknown option " + option);
                    }
                }
            }
        }
        if (work == null || plugin == null || classPath == null || log4j == null || configDir == null || docs == null) {
            throw new UsageException("run through bin/bench, which passes --work-dir, --plugin-dir, --kafka-classpath,"
                    + " --log4j-config, --config-dir and --docs");
        }
        if (scale > 0) {
            pipelines.add(Pipeline.CLFS_SINK_SCALE);
            pipelines = new LinkedHashSet<>(EnumSet.copyOf(pipelines)); // in run order
        } else {
            pipelines.remove(Pipeline.CLFS_SINK_SCALE); // it runs only with --scale
        }
        if (!listed) {
            pipelines.remove(Pipeline.WARM_UP); // the project's figures are without it unless asked for
        }
        Pipeline.checkInputs(pipelines);
        return new BenchOptions(records, size, partitions, scale, tasks, pipelines, appendDocs, timeout, work, plugin,
                classPath, log4j, configDir, docs, revision);
    }

    private static long positive(String option, String value) {
        try {
            long v = Long.parseLong(value.replace("_", ""));
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " must be a positive whole number, not '" + value + "'");
    }

    boolean runs(Pipeline p) {
        return pipelines.contains(p);
    }

    /** A run smaller than the quoted setting is a smoke run: its figures are not the project's. */
    boolean smoke() {
        return records < DEFAULT_RECORDS;
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}

package io.clfs.bench.e2e;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code bin/bench}: the project's end-to-end figure. A real KRaft broker and Connect worker in
 * JVMs of their own; ProducerPerformance fills the input topic; then each pipeline runs alone, timed
 * from its connector's creation until it is done ({@link Completion}); the report goes to standard
 * output and, unless {@code --no-append-docs}, to {@code docs/benchmarks.md}.
 *
 * <p>{@link #started} (broker, workers) is guarded by its own monitor: the shutdown hook (Ctrl-C)
 * and the main thread both stop what is in it, newest first, so the worker stops before the broker.
 */
public final class EndToEndBench {
    static final String INPUT = "bench.input";
    private static final String SCALE_INPUT = "bench.input-scale";
    private static final Pattern PRODUCER_SUMMARY = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec");
    private static final String BYTES = "org.apache.kafka.connect.converters.ByteArrayConverter";
    private static final String STRINGS = "org.apache.kafka.connect.storage.StringConverter";
    private static final Set<String> CONVERTERS = Set.of("key.converter", "value.converter", "header.converter");
    /** What the exactly-once pipelines add to their connector's config. */
    private static final Map<String, String> EXACTLY_ONCE =
            Map.of("exactly.once.support", "required", "transaction.boundary", "poll");

    private final BenchOptions o;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Map<Pipeline, Result> results = new EnumMap<>(Pipeline.class);
    private final Map<Pipeline, WorkerUse> workerUse = new EnumMap<>(Pipeline.class);
    /** Set once the JVMs are being stopped: what fails after that is the stop, not the benchmark. */
    private volatile boolean stopping;

    private EndToEndBench(BenchOptions o) {
        this.o = o;
    }

    public static void main(String[] args) {
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (BenchOptions.UsageException e) {
            System.err.println((e.getMessage() == null ? "" : "bench: " + e.getMessage() + "\n") + BenchOptions.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        EndToEndBench bench = new EndToEndBench(o);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            bench.stopping = true;
            bench.stopAll();
        }, "bench-stop"));
        try {
            bench.run();
            System.exit(0);
        } catch (Exception e) {
            if (bench.stopping) {
                System.err.println("bench: stopped");
                System.exit(130);
            }
            System.err.println("bench: FAILED: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private void run() throws Exception {
        Instant start = Instant.now();
        String loadAtStart = Machine.loadAverage();
        say("Work dir %s; %,d records of %d B, %d partitions%s, tasks.max=%d; pipelines %s", o.workDir(), o.records(),
                o.recordSize(), o.partitions(), o.scalePartitions() > 0 ? " (and " + o.scalePartitions() + ")" : "",
                o.tasks(), o.pipelines().stream().map(p -> p.id).toList());
        KafkaBroker broker = keep(KafkaBroker.start(o));
        say("Broker up at %s", broker.bootstrap());
        try (Admin admin = broker.admin()) {
            createTopic(admin, INPUT, o.partitions());
            results.put(Pipeline.PRODUCER, produce(admin, broker.bootstrap(), INPUT, o.partitions()));
            if (o.runs(Pipeline.CLFS_SINK_SCALE)) {
                createTopic(admin, SCALE_INPUT, o.scalePartitions());
                produce(admin, broker.bootstrap(), SCALE_INPUT, o.scalePartitions());
            }
            ConnectWorker worker = keep(ConnectWorker.start(o, "bench-connect", broker.bootstrap(), false));
            say("Worker up");
            Path fileOut = o.workDir().resolve("file-sink.txt");
            Path logDir = Files.createDirectories(o.workDir().resolve("clfs-logs"));
            Path eosLogDir = o.workDir().resolve("clfs-logs-eos");
            if (o.runs(Pipeline.FILE_SINK)) {
                measure(Pipeline.FILE_SINK, worker, fileSink(fileOut),
                        Completion.committedOffsets(admin, "connect-file-sink", INPUT, o.partitions()), () -> { });
            }
            if (o.runs(Pipeline.CLFS_SINK)) {
                // The sink releases in restart-area steps while it runs: untimed, before it is deleted.
                boolean replays = o.runs(Pipeline.CLFS_REPLAY) || o.runs(Pipeline.CLFS_REPLAY_EOS);
                long idleHeap = WorkerUse.heapAfterGcKiB(worker.pid());
                measure(Pipeline.CLFS_SINK, worker, clfsSink(logDir, INPUT),
                        Completion.committedOffsets(admin, "connect-clfs-sink", INPUT, o.partitions()), () -> {
                            sampleWorkerUse(Pipeline.CLFS_SINK, worker, logDir, o.partitions(), idleHeap);
                            if (replays) {
                                JournalRelease.await(logDir, Duration.ofSeconds(120));
                            }
                        });
                if (o.runs(Pipeline.CLFS_REPLAY_EOS)) {
                    copy(logDir, eosLogDir); // the archive replay below reclaims what it replays
                }
            }
            if (o.runs(Pipeline.CLFS_SINK_SCALE)) {
                Path scaleDir = Files.createDirectories(o.workDir().resolve("clfs-logs-scale"));
                long idleHeap = WorkerUse.heapAfterGcKiB(worker.pid());
                measure(Pipeline.CLFS_SINK_SCALE, worker, clfsSink(scaleDir, SCALE_INPUT),
                        Completion.committedOffsets(admin, "connect-clfs-sink-scale", SCALE_INPUT,
                                o.scalePartitions()),
                        () -> sampleWorkerUse(Pipeline.CLFS_SINK_SCALE, worker, scaleDir, o.scalePartitions(),
                                idleHeap));
            }
            measureCeiling(Pipeline.WARM_UP, worker, admin, broker.bootstrap(), true, false);
            if (o.runs(Pipeline.FILE_SOURCE)) {
                String target = "bench.file-source";
                createTopic(admin, target, o.partitions());
                measure(Pipeline.FILE_SOURCE, worker, fileSource(fileOut, target),
                        Completion.endOffsets(admin, target, o.partitions()), () -> { });
            }
            if (o.runs(Pipeline.CLFS_REPLAY)) {
                createTopic(admin, INPUT + ".replay", o.partitions());
                measure(Pipeline.CLFS_REPLAY, worker, clfsSource(logDir, ".replay", false),
                        Completion.endOffsets(admin, INPUT + ".replay", o.partitions()), () -> { });
            }
            measureCeiling(Pipeline.CEILING_SOURCE, worker, admin, broker.bootstrap(), true, false);
            measureCeiling(Pipeline.CEILING_SOURCE_NOHEADERS, worker, admin, broker.bootstrap(), false, false);
            measureCeiling(Pipeline.CEILING_SOURCE_FRESH, worker, admin, broker.bootstrap(), true, false);
            if (o.runs(Pipeline.CLFS_REPLAY_EOS) || o.runs(Pipeline.CEILING_SOURCE_EOS)) {
                stop(worker);
                ConnectWorker eos = keep(ConnectWorker.start(o, "bench-connect-eos", broker.bootstrap(), true));
                say("Worker with exactly.once.source.support=enabled up");
                if (o.runs(Pipeline.CLFS_REPLAY_EOS)) {
                    createTopic(admin, INPUT + ".replay-eos", o.partitions());
                    measure(Pipeline.CLFS_REPLAY_EOS, eos, clfsSource(eosLogDir, ".replay-eos", true),
                            Completion.committedRecords(broker.bootstrap(), INPUT + ".replay-eos", o.partitions()),
                            () -> { });
                }
                measureCeiling(Pipeline.CEILING_SOURCE_EOS, eos, admin, broker.bootstrap(), true, true);
            }
        }
        stopAll();
        Report report = new Report(o, results, workerUse, Machine.describe(o.workDir()), start, loadAtStart,
                Machine.loadAverage());
        System.out.println();
        System.out.println(report.markdown());
        if (o.appendDocs()) {
            report.appendTo();
            say("Appended to %s", o.docs());
        }
    }

    /** Fills {@code topic} with the records; returns the producer's own figure. */
    private Result produce(Admin admin, String bootstrap, String topic, int partitions) throws Exception {
        say("Producing %,d records of %d B into %s with ProducerPerformance...", o.records(), o.recordSize(), topic);
        String output = JvmProcess.run(o, "producer", o.timeoutSeconds(), "org.apache.kafka.tools.ProducerPerformance",
                "--topic", topic, "--num-records", Long.toString(o.records()),
                "--record-size", Integer.toString(o.recordSize()), "--throughput", "-1",
                "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all", "batch.size=131072", "linger.ms=20");
        Matcher m = PRODUCER_SUMMARY.matcher(output);
        double rate = -1;
        while (m.find()) {
            rate = Double.parseDouble(m.group(2)); // the last match is the summary of the whole run
        }
        long inTopic = Completion.endOffsetSum(admin, topic, partitions);
        if (rate <= 0 || inTopic != o.records()) {
            // A lost batch shows here (KAFKA-15591), not in the producer's own count.
            throw new IllegalStateException("the producer wrote " + inTopic + " of " + o.records()
                    + " records; its output:\n" + output);
        }
        say("  %,.0f records/s", rate);
        return new Result(Pipeline.PRODUCER, o.records(), o.records() / rate, "its own figure");
    }

    private void sampleWorkerUse(Pipeline p, ConnectWorker worker, Path logDir, int partitions, long idleHeapKiB)
            throws Exception {
        WorkerUse use = WorkerUse.sample(worker.pid(), logDir, partitions, idleHeapKiB);
        workerUse.put(p, use);
        say("  %s", use.describe());
    }

    /**
     * The ceiling pipeline {@code p}, if chosen: into a topic of its own, and done when counted as the
     * replay it stands beside is (a transactional one by what a read_committed consumer sees).
     */
    private void measureCeiling(Pipeline p, ConnectWorker worker, Admin admin, String bootstrap, boolean headers,
                                boolean exactlyOnce) throws Exception {
        if (!o.runs(p)) {
            return;
        }
        String topic = "bench." + p.id;
        createTopic(admin, topic, o.partitions());
        measure(p, worker, ceilingSource(topic, headers,
                p == Pipeline.CEILING_SOURCE_FRESH || p == Pipeline.WARM_UP, exactlyOnce), exactlyOnce
                ? Completion.committedRecords(bootstrap, topic, o.partitions())
                : Completion.endOffsets(admin, topic, o.partitions()), () -> { });
    }

    /** Work between a pipeline's end and its connector's deletion, not timed. */
    private interface Untimed {
        void run() throws Exception;
    }

    /**
     * Creates the connector and times it until {@code done} counts every record; then runs
     * {@code beforeDelete} and deletes the connector.
     */
    private void measure(Pipeline p, ConnectWorker worker, Map<String, String> config, Completion done,
                         Untimed beforeDelete) throws Exception {
        say("%s...", p.title);
        try (done) {
            long t0 = System.nanoTime();
            long deadline = t0 + Duration.ofSeconds(o.timeoutSeconds()).toNanos();
            long nextCheck = t0;
            worker.putConnector(p.id, config);
            long count;
            while ((count = done.count()) < o.records()) {
                long now = System.nanoTime();
                if (now > deadline) {
                    throw new IllegalStateException(p.id + ": " + count + " of " + o.records() + " records after "
                            + o.timeoutSeconds() + " s (--timeout)");
                }
                if (now >= nextCheck) {
                    worker.checkNotFailed(p.id);
                    nextCheck = now + 1_000_000_000L;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            beforeDelete.run();
            worker.deleteConnector(p.id);
            String note = count == o.records() ? "" : "counted " + count + ": duplicates";
            Result r = new Result(p, o.records(), seconds, note);
            results.put(p, r);
            say("  %,.0f records/s (%.2f s)%s", r.recordsPerSecond(), seconds, note.isEmpty() ? "" : " " + note);
        }
    }

    private Map<String, String> fileSink(Path file) {
        return Map.of("connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector",
                "tasks.max", Integer.toString(o.tasks()), "topics", INPUT, "file", file.toString(),
                "key.converter", BYTES, "value.converter", STRINGS);
    }

    private Map<String, String> fileSource(Path file, String topic) {
        return Map.of("connector.class", "org.apache.kafka.connect.file.FileStreamSourceConnector",
                "tasks.max", "1", "file", file.toString(), "topic", topic,
                "key.converter", BYTES, "value.converter", STRINGS);
    }

    private Map<String, String> clfsSink(Path logDir, String topic) throws IOException {
        Map<String, String> c = readyConfig("clfs-sink.json");
        c.keySet().removeIf(k -> k.startsWith("errors.deadletterqueue."));
        c.putAll(Map.of("tasks.max", Integer.toString(o.tasks()), "topics", topic, "clfs.log.dir", logDir.toString(),
                "clfs.retention.ms", "0", "clfs.restart.interval.ms", "1000", "errors.tolerance", "none"));
        return c;
    }

    private Map<String, String> clfsSource(Path logDir, String suffix, boolean exactlyOnce) throws IOException {
        Map<String, String> c = readyConfig("clfs-source.json");
        c.putAll(Map.of("tasks.max", Integer.toString(o.tasks()), "clfs.log.dir", logDir.toString(),
                "clfs.replay.topic", "${topic}" + suffix, "errors.tolerance", "none"));
        if (exactlyOnce) {
            c.putAll(EXACTLY_ONCE);
        }
        return c;
    }

    /**
     * The ceiling source, with what of config/clfs-source.json Connect itself acts on (converters,
     * producer overrides, records per poll), writing as many records of the same size to {@code topic}.
     */
    private Map<String, String> ceilingSource(String topic, boolean headers, boolean fresh, boolean exactlyOnce)
            throws IOException {
        Map<String, String> ready = readyConfig("clfs-source.json");
        Map<String, String> c = new HashMap<>();
        ready.forEach((k, v) -> {
            if (CONVERTERS.contains(k) || k.startsWith("producer.override.")) {
                c.put(k, v);
            }
        });
        c.putAll(Map.of("connector.class", "io.clfs.bench.ceiling.CeilingSourceConnector",
                "tasks.max", Integer.toString(o.tasks()), "errors.tolerance", "none",
                "ceiling.topic", topic, "ceiling.partitions", Integer.toString(o.partitions()),
                "ceiling.records", Long.toString(o.records()), "ceiling.record.size", Integer.toString(o.recordSize()),
                "ceiling.batch.size", ready.get("clfs.replay.batch.size"), "ceiling.headers", Boolean.toString(headers),
                "ceiling.origin.topic", INPUT));
        c.put("ceiling.fresh", Boolean.toString(fresh));
        if (exactlyOnce) {
            c.putAll(EXACTLY_ONCE);
        }
        return c;
    }

    /** The ready config users deploy, so that what it tunes is what is measured. */
    private Map<String, String> readyConfig(String name) throws IOException {
        Map<String, String> c = new ObjectMapper().readValue(o.configDir().resolve(name).toFile(),
                new TypeReference<HashMap<String, String>>() { });
        c.remove("_comment");
        return c;
    }

    private void createTopic(Admin admin, String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)
                .configs(Map.of("retention.ms", "-1")))).all().get();
        // Producing before every partition has a leader can lose a batch (KAFKA-15591).
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                if (d.partitions().size() == partitions && d.partitions().stream()
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                // the new topic's metadata has not reached this broker's cache yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " has partitions without a leader after 60 s");
            }
            Thread.sleep(Completion.POLL_MS);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    private <T extends AutoCloseable> T keep(T process) {
        synchronized (started) {
            started.push(process);
        }
        return process;
    }

    private void stop(AutoCloseable process) throws Exception {
        synchronized (started) {
            started.remove(process);
        }
        process.close();
    }

    /** Stops every JVM still running, newest first: workers before the broker. */
    private void stopAll() {
        synchronized (started) {
            while (!started.isEmpty()) {
                try {
                    started.pop().close();
                } catch (Exception e) {
                    System.err.println("bench: stopping: " + e);
                }
            }
        }
    }

    private static void say(String format, Object... args) {
        System.out.printf("[%tT] %s%n", System.currentTimeMillis(), String.format(format, args));
    }
}

package io.clfs.connect.demo;

import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.testing.ConnectRest;
import io.clfs.connect.testing.ConnectorConfigs;
import io.clfs.connect.testing.EmbeddedConnectFixture;
import io.clfs.connect.testing.Journals;
import io.clfs.connect.testing.TestProducer;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogInfo;
import io.clfs.log.LogRecord;
import io.clfs.log.Lsn;
import io.clfs.log.ReadContext;
import io.clfs.log.RecordFilter;
import io.clfs.log.RecordType;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The main job, run by {@code bin/demo}: an in-process KRaft broker and Connect worker with the
 * sink, sample records produced into a topic, journaled into one log per partition, released by
 * the sink's retention a second later, replayed by the source connector into
 * {@code <topic>.replay} and archived (see {@link ReplayStage}); progress every second, a check
 * that the replay topic holds exactly the released records, a check of every log through the
 * engine, and the commands to inspect the logs.
 */
public final class SinkDemo {
    private static final String TOPIC = "clfs-demo";
    private static final String CONNECTOR = "clfs-sink";

    private final long records;
    private final int partitions;
    private final Path logDir;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private volatile EmbeddedConnectFixture connect;
    private ReplayStage replay;

    private SinkDemo(long records, int partitions, Path logDir) {
        this.records = records;
        this.partitions = partitions;
        this.logDir = logDir;
    }

    public static void main(String[] args) throws Exception {
        long records = 100_000;
        int partitions = 3;
        Path dir = Path.of("target", "clfs-demo", "logs");
        boolean defaultDir = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--records" -> records = Long.parseLong(args[++i]);
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--dir" -> {
                    dir = Path.of(args[++i]);
                    defaultDir = false;
                }
                default -> {
                    System.err.println("usage: bin/demo [--records N] [--partitions P] [--dir DIR]");
                    System.exit(2);
                }
            }
        }
        dir = dir.toAbsolutePath().normalize();
        if (defaultDir) {
            deleteTree(dir); // the logs are the sink's truth: a new topic needs new logs
        } else if (Files.isDirectory(dir) && Files.list(dir).findAny().isPresent()) {
            System.err.println(dir + " is not empty: the sink would resume from the logs there. Choose an empty --dir.");
            System.exit(2);
        }
        new SinkDemo(records, partitions, dir).run();
        System.exit(0);
    }

    private void run() throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(this::onExit, "demo-shutdown"));
        say("Starting an in-process KRaft broker and a Connect worker with the CLFS sink plugin...");
        long t0 = System.nanoTime();
        EmbeddedConnectFixture started = EmbeddedConnectFixture.of("clfs-demo", 1);
        quietly(started::start);
        connect = started;
        say("  up in %.1f s: broker %s, worker %s", secondsSince(t0), started.bootstrapServers(),
                started.cluster().endpointForResource(""));
        ConnectRest rest = started.rest();
        started.createTopic(TOPIC, partitions);

        Map<String, String> config = ConnectorConfigs.byteSink(TOPIC, logDir, Math.min(partitions, 2));
        config.put("clfs.restart.interval.ms", "2000");
        config.put("clfs.restart.interval.records", "20000");
        // Release records a second after they arrive, so that the source replays them during the demo.
        config.put("clfs.retention.ms", "1000");
        rest.putConnector(CONNECTOR, config);
        rest.awaitRunning(CONNECTOR, Math.min(partitions, 2), Duration.ofSeconds(60));
        say("Connector %s journals topic %s (%d partitions) into %s", CONNECTOR, TOPIC, partitions, logDir);
        replay = new ReplayStage(started, TOPIC, partitions, logDir);
        replay.start();
        say("Connector %s replays what the sink releases into %s and archives it", ReplayStage.CONNECTOR,
                replay.replayTopic());

        say("Producing %,d sample records (keys, null keys, headers, tombstones)...", records);
        CompletableFuture<Map<TopicPartition, Long>> produced = CompletableFuture.supplyAsync(this::produce);
        Map<TopicPartition, Long> ends = showProgress(produced);

        say("All %,d records journaled and committed; waiting until the sink released them all and the source"
                + " replayed and archived them...", records);
        replay.awaitArchived(ends, Duration.ofSeconds(120));
        try {
            say("The replay topic %s holds exactly the %,d released records: each once, in order, identical to its"
                    + " origin record, with the clfs.* headers.", replay.replayTopic(), replay.verify());
        } catch (AssertionError e) {
            say("The replay topic does not hold exactly the released records: %s", e.getMessage());
            System.exit(1);
        }
        say("Stopping the connectors (a restart area per log)...");
        rest.deleteConnector(ReplayStage.CONNECTOR);
        rest.deleteConnector(CONNECTOR);
        Journals.await(Duration.ofSeconds(30), this::logsReleased, () -> "the logs were not released");
        started.stop();
        connect = null;
        verifyAndSummarize(ends);
        finished.set(true);
    }

    private Map<TopicPartition, Long> produce() {
        Map<TopicPartition, Long> ends = new HashMap<>();
        try (TestProducer producer = connect.producer()) {
            for (long from = 0; from < records; from += 10_000) {
                List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
                for (long i = from; i < Math.min(records, from + 10_000); i++) {
                    batch.add(sample(i));
                }
                for (RecordMetadata m : producer.sendAll(batch)) {
                    ends.merge(new TopicPartition(m.topic(), m.partition()), m.offset() + 1, Math::max);
                }
            }
        }
        return ends;
    }

    private ProducerRecord<byte[], byte[]> sample(long i) {
        byte[] key = i % 10 == 0 ? null : ("customer-" + (i % 1000)).getBytes(StandardCharsets.UTF_8);
        byte[] value = i % 50 == 0 ? null
                : ("{\"order\":" + i + ",\"amount\":" + (i * 37 % 10_000) / 100.0 + "}").getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(TOPIC, (int) (i % partitions), key, value);
        if (i % 4 == 0) {
            r.headers().add(new RecordHeader("source", "demo".getBytes(StandardCharsets.UTF_8)));
            r.headers().add(new RecordHeader("source", null));
        }
        return r;
    }

    /** Every second: records committed (durable) per second, and each log's last LSN and tails. */
    private Map<TopicPartition, Long> showProgress(CompletableFuture<Map<TopicPartition, Long>> produced) {
        long start = System.nanoTime();
        long last = 0;
        long lastAt = start;
        for (;;) {
            LockSupport.parkNanos(1_000_000_000L);
            while (interrupted.get()) {
                LockSupport.park(); // Ctrl-C: the shutdown hook speaks now; the JVM exits after it
            }
            Map<TopicPartition, Long> committed = connect.committed(CONNECTOR);
            long total = committed.values().stream().mapToLong(Long::longValue).sum();
            long now = System.nanoTime();
            double rate = (total - last) / ((now - lastAt) / 1e9);
            last = total;
            lastAt = now;
            StringBuilder line = new StringBuilder(String.format("  [%5.1fs] journaled %,9d / %,d  %,8.0f rec/s"
                    + "  replayed %,9d |", (now - start) / 1e9, total, records, rate, replay.replayed()));
            for (int p = 0; p < partitions; p++) {
                LogInfo.StreamInfo s = streamInfo(p);
                line.append(String.format(" p%d lsn %s base %s tail %s |", p,
                        s == null ? "-" : Lsn.toString(s.lastLsn()), s == null ? "-" : Lsn.toString(s.baseLsn()),
                        s == null ? "-" : Lsn.toString(s.archiveTail())));
            }
            System.out.println(line);
            if (produced.isDone()) {
                Map<TopicPartition, Long> ends = produced.join();
                if (ends.entrySet().stream().allMatch(e -> committed.getOrDefault(e.getKey(), -1L) >= e.getValue())) {
                    say("  %,d records in %.1f s (%,.0f rec/s end to end, fsync before every commit)", total,
                            secondsSince(start), total / secondsSince(start));
                    return ends;
                }
            }
        }
    }

    private Path logOf(int partition) {
        return logDir.resolve(TOPIC + "-" + partition);
    }

    private LogInfo.StreamInfo streamInfo(int partition) {
        if (!ClfsLog.exists(logOf(partition))) {
            return null;
        }
        try (ClfsLog log = ClfsLog.openReadOnly(logOf(partition))) {
            return log.info().stream(ClfsLog.DEFAULT_STREAM);
        } catch (RuntimeException e) {
            return null; // being created right now
        }
    }

    private boolean logsReleased() {
        for (int p = 0; p < partitions; p++) {
            try {
                ClfsLog.open(logOf(p)).close(); // opened as writer: the task has let go
            } catch (RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    /** Reads every log back through the engine: each partition's offsets exactly once, in order. */
    private void verifyAndSummarize(Map<TopicPartition, Long> ends) throws IOException {
        say("Reading every log back through the engine:");
        say("  %-13s %9s %9s %15s %19s %19s %19s %9s %10s", "log", "archived", "in log", "offsets", "last LSN",
                "base LSN", "archive tail", "restarts", "disk");
        boolean ok = true;
        for (int p = 0; p < partitions; p++) {
            long expected = ends.getOrDefault(new TopicPartition(TOPIC, p), 0L);
            long n = 0;
            long first = -1;
            long restarts = 0;
            boolean inOrder = true;
            try (ClfsLog log = ClfsLog.openReadOnly(logOf(p));
                 ReadContext ctx = log.stream().readFromTail(RecordFilter.ALL)) {
                for (LogRecord r = ctx.next(); r != null; r = ctx.next()) {
                    if (r.type() == RecordType.RESTART) {
                        restarts++;
                        continue;
                    }
                    Envelope e = io.clfs.connect.envelope.EnvelopeCodec.decode(r.data());
                    if (first < 0) {
                        first = e.offset();
                    }
                    inOrder &= e.offset() == first + n && e.partition() == p;
                    n++;
                }
                LogInfo.StreamInfo s = log.info().stream(ClfsLog.DEFAULT_STREAM);
                // What the log no longer holds was released, replayed and archived (checked above).
                long archived = first < 0 ? expected : first;
                boolean good = inOrder && archived + n == expected;
                ok &= good;
                say("  %-13s %9d %9d %15s %19s %19s %19s %9d %10s %s", TOPIC + "-" + p, archived, n,
                        n == 0 ? "-" : first + ".." + (first + n - 1),
                        Lsn.toString(s.lastLsn()), Lsn.toString(s.baseLsn()), Lsn.toString(s.archiveTail()), restarts,
                        human(sizeOf(logOf(p))), good ? "OK" : "MISMATCH (expected " + expected + ")");
            }
        }
        say("");
        say(ok ? "Every record was either replayed and archived, or is still in its partition's log, exactly once,"
                + " in offset order."
                : "Some log does not match what was produced: see above.");
        say("The logs are in %s (one directory per topic-partition).", logDir);
        say("Inspect them with the clfs tool (built by `mvn -B package`):");
        say("  bin/clfs info %s", logOf(0));
        say("  bin/clfs dump %s --json | head", logOf(0));
        if (!ok) {
            System.exit(1);
        }
    }

    private void onExit() {
        EmbeddedConnectFixture c = connect;
        if (!finished.get() && c != null) {
            interrupted.set(true);
            System.out.println();
            say("Interrupted: stopping the Connect worker (the sink writes a restart area into each log) and the broker...");
            try {
                c.stop();
            } catch (RuntimeException e) {
                System.err.println("while stopping: " + e);
            }
            say("Stopped. The logs so far are in %s", logDir);
        }
    }

    /** The in-process KRaft formatter prints to stdout; the demo's output is what matters here. */
    private static void quietly(Runnable action) {
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            action.run();
        } finally {
            System.setOut(out);
        }
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static String human(long bytes) {
        return bytes >= 1 << 20 ? String.format("%.1f MiB", bytes / 1048576.0) : String.format("%.1f KiB", bytes / 1024.0);
    }

    private static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    private static void say(String format, Object... args) {
        System.out.println(args.length == 0 ? format : String.format(format, args));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

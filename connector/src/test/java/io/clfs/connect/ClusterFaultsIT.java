package io.clfs.connect;

import com.fasterxml.jackson.databind.JsonNode;
import io.clfs.connect.sink.ClfsSinkConfig;
import io.clfs.connect.source.ClfsSourceConfig;
import io.clfs.connect.testing.ChildWorker;
import io.clfs.connect.testing.ConnectRest;
import io.clfs.connect.testing.ConnectorConfigs;
import io.clfs.connect.testing.EmbeddedConnectFixture;
import io.clfs.connect.testing.Journals;
import io.clfs.connect.testing.ReplayCheck;
import io.clfs.connect.testing.SampleRecords;
import io.clfs.connect.testing.TestProducer;
import io.clfs.log.engine.OwnerLock;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sink and the source on a Connect cluster of workers in separate JVMs that share one
 * {@code clfs.log.dir}: the fixture's worker in this JVM and two children, under a paced producer.
 * A third child joins, one child is SIGKILLed, and one is SIGSTOPped well past its session timeout
 * and the log open timeout (it keeps the file locks of the logs it had open), then SIGCONTed.
 *
 * <p>Afterwards every partition's log holds its records exactly once in offset order, the replay
 * topic (read_committed) holds every released record once, no task was ever FAILED, and no
 * partition stalled longer than the session timeout plus the rebalance delay plus the open
 * timeout plus 10 s: the partitions of the stalled worker were taken over, not waited for. The
 * resumed worker acknowledged nothing after the takeover: no partition's committed offset ever moved
 * back, and it gave up the partitions taken over from it. The worker stopped is one that runs a sink
 * task, so that there is something to take over.
 *
 * <p>This is the acceptance test of issue #12 item 2 (about 4 minutes).
 */
class ClusterFaultsIT {
    private static final Logger log = LoggerFactory.getLogger(ClusterFaultsIT.class);
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final int PARTITIONS = 6;
    private static final long SESSION_MS = 10_000;
    private static final long REBALANCE_DELAY_MS = 2_000;
    private static final long OPEN_TIMEOUT_MS = 5_000;
    private static final long STALL_BOUND_MS = SESSION_MS + REBALANCE_DELAY_MS + OPEN_TIMEOUT_MS + 10_000;
    private static final Map<String, String> GROUP = Map.of(
            "group.id", "clfs-cluster",
            "config.storage.topic", "clfs-cluster-configs",
            "offset.storage.topic", "clfs-cluster-offsets",
            "status.storage.topic", "clfs-cluster-status",
            "config.storage.replication.factor", "1",
            "offset.storage.replication.factor", "1",
            "status.storage.replication.factor", "1",
            "exactly.once.source.support", "enabled",
            // The worker group and the sink's consumers notice a stalled worker after this long.
            "session.timeout.ms", Long.toString(SESSION_MS),
            "consumer.session.timeout.ms", Long.toString(SESSION_MS));
    @RegisterExtension
    static final EmbeddedConnectFixture CONNECT = EmbeddedConnectFixture.of("clfs-cluster", 1, GROUP);

    @TempDir
    Path work;

    private final List<ChildWorker> children = new ArrayList<>();
    private final ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Map<TopicPartition, Long> produced = new ConcurrentHashMap<>();
    private final Map<TopicPartition, long[]> progress = new ConcurrentHashMap<>(); // {committed, since nanos}
    private final AtomicLong longestStallMs = new AtomicLong();
    private final List<String> offsetsMovedBack = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        monitor.shutdownNow();
        for (ChildWorker w : children) {
            if (Files.exists(w.infoLog())) { // kept for a look after a failure: the work directory is deleted
                Path kept = Path.of("target/test-logs/ClusterFaultsIT-" + w.log().getParent().getFileName() + ".log");
                Files.copy(w.infoLog(), kept, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                w.resume();
            } catch (Exception alreadyGone) {
                log.debug("worker already gone", alreadyGone);
            }
            w.close();
        }
        for (JsonNode name : CONNECT.rest().call("GET", "/connectors", null)) {
            CONNECT.rest().deleteConnector(name.asText());
        }
    }

    private ChildWorker startWorker(String name) throws Exception {
        Map<String, String> props = new HashMap<>(GROUP);
        props.put("bootstrap.servers", CONNECT.bootstrapServers());
        props.put("plugin.discovery", "service_load");
        props.put("heartbeat.interval.ms", "500");
        props.put("offset.flush.interval.ms", "1000");
        props.put("scheduled.rebalance.max.delay.ms", Long.toString(REBALANCE_DELAY_MS));
        props.put("key.converter", ConnectorConfigs.BYTES);
        props.put("value.converter", ConnectorConfigs.BYTES);
        Path dir = Files.createDirectories(work.resolve(name));
        ChildWorker w = ChildWorker.start(dir, props);
        children.add(w);
        w.awaitUp(WAIT);
        return w;
    }

    @Test
    void everyRecordOnceAndNoTaskFailsWhileWorkersJoinDieAndStall() throws Exception {
        String topic = "cluster";
        Path logs = Files.createDirectories(work.resolve("logs"));
        CONNECT.createTopic(topic, PARTITIONS);
        CONNECT.createTopic(topic + ".replay", PARTITIONS);
        ChildWorker first = startWorker("w1");
        ChildWorker second = startWorker("w2");

        Map<String, String> sink = ConnectorConfigs.byteSink(topic, logs, 3);
        sink.put(ClfsSinkConfig.RESTART_INTERVAL_RECORDS, "500");
        sink.put(ClfsSinkConfig.RESTART_INTERVAL_MS, "300");
        sink.put(ClfsSinkConfig.OPEN_TIMEOUT_MS, Long.toString(OPEN_TIMEOUT_MS));
        Map<String, String> source = ConnectorConfigs.byteSource(logs, 3);
        source.put(ClfsSourceConfig.POLL_INTERVAL_MS, "200");
        source.put(ClfsSourceConfig.ARCHIVE_INTERVAL_MS, "200");
        source.put(ClfsSourceConfig.DISCOVERY_INTERVAL_MS, "500");
        source.put("exactly.once.support", "required");
        source.put("transaction.boundary", "poll");
        ConnectRest rest = CONNECT.rest();
        rest.putConnector("cluster-sink", sink);
        rest.awaitRunning("cluster-sink", 3, WAIT);
        rest.putConnector("cluster-source", source);
        rest.awaitRunning("cluster-source", 3, WAIT);

        AtomicBoolean stop = new AtomicBoolean();
        Thread producer = new Thread(() -> produce(new SampleRecords(topic, PARTITIONS, false), stop), "paced-producer");
        producer.start();
        monitor.scheduleWithFixedDelay(() -> watch(rest, topic), 0, 500, TimeUnit.MILLISECONDS);
        awaitProgress(topic, "the start");

        ChildWorker third = startWorker("w3");
        awaitProgress(topic, "a worker joined");

        first.kill();
        awaitProgress(topic, "a worker was SIGKILLed");

        ChildWorker stalled = stallAWorkerHoldingALog(rest, List.of(second, third), logs, topic);
        long stalledAt = System.nanoTime();
        awaitProgress(topic, "a worker was SIGSTOPped");
        long past = SESSION_MS + OPEN_TIMEOUT_MS + 5_000 - (System.nanoTime() - stalledAt) / 1_000_000;
        if (past > 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(past)); // the stall lasts well past both timeouts
        }
        stalled.resume();
        awaitProgress(topic, "the stalled worker came back");

        stop.set(true);
        producer.join();
        Map<TopicPartition, Long> ends = Map.copyOf(produced);
        CONNECT.awaitCommitted("cluster-sink", ends, WAIT);
        Journals.await(WAIT, () -> ends.entrySet().stream().allMatch(e -> {
            Path dir = Journals.dirOf(logs, topic, e.getKey().partition());
            return ReplayCheck.releasedEnd(dir) == e.getValue() && ReplayCheck.archived(dir);
        }), () -> "not everything was released and archived");
        monitor.shutdownNow();
        monitor.awaitTermination(10, TimeUnit.SECONDS);

        // Every record is released and archived by now, so below both tails: the logs are read through the
        // replay, which the source reads in LSN order and forwards without dropping duplicates. Each released
        // record once, in offset order and increasing LSN, with the released end at the produced end: that is
        // every record in its log once, in offset order.
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        assertThat(ReplayCheck.verify(CONNECT.bootstrapServers(), topic, topic + ".replay", logs, PARTITIONS,
                ReplayCheck.Delivery.EXACTLY_ONCE)).isEqualTo(total);
        assertThat(failures).as("task states seen FAILED").isEmpty();
        assertThat(offsetsMovedBack).as("committed offsets that moved back (a stale owner's commit)").isEmpty();
        long takenOver = count(Path.of("target/test-logs/tests.log"), "Took the log " + logs)
                + count(second.infoLog(), "Took the log " + logs) + count(third.infoLog(), "Took the log " + logs);
        assertThat(takenOver).as("logs taken over from the stalled worker").isPositive();
        assertThat(count(stalled.infoLog(), "took its log " + logs)).as("partitions the resumed worker gave up (%s)",
                stalled.infoLog()).isPositive();
        assertThat(longestStallMs.get()).as("the longest time a partition made no progress").isLessThanOrEqualTo(
                STALL_BOUND_MS);
        log.info("{} records; longest partition stall {} ms (bound {} ms)", total, longestStallMs.get(), STALL_BOUND_MS);
    }

    /**
     * SIGSTOPs one of {@code candidates} that runs a sink task and, stopped, holds a partition's log:
     * a task can be RUNNING before its consumer is assigned any partition (a rebalance after a worker
     * died), and stalling a worker that holds no log would test nothing. Resumed and tried again
     * until one does.
     */
    private static ChildWorker stallAWorkerHoldingALog(ConnectRest rest, List<ChildWorker> candidates, Path logs,
                                                       String topic) {
        AtomicReference<ChildWorker> stalled = new AtomicReference<>();
        Journals.await(WAIT, () -> {
            ChildWorker w = runningASinkTask(rest, candidates);
            try {
                w.pause();
                for (int p = 0; p < PARTITIONS; p++) {
                    if (heldBy(Journals.dirOf(logs, topic, p), w)) {
                        stalled.set(w);
                        return true;
                    }
                }
                w.resume();
                return false;
            } catch (IOException | InterruptedException e) {
                throw new AssertionError("cannot stall " + w.workerId(), e);
            }
        }, () -> "no worker running a sink task held a log");
        return stalled.get();
    }

    /** Whether {@code w} holds the log in {@code dir}: its lock is taken and the owner file names w's pid. */
    private static boolean heldBy(Path dir, ChildWorker w) throws IOException {
        Path owner = dir.resolve(OwnerLock.OWNER_FILE);
        if (!Files.exists(owner) || !Files.readString(owner).contains("\npid=" + w.pid() + "\n")) {
            return false;
        }
        try (FileChannel lock = FileChannel.open(dir.resolve("clfs.lock"), StandardOpenOption.WRITE)) {
            FileLock free = lock.tryLock();
            if (free != null) {
                free.release();
                return false;
            }
            return true;
        }
    }

    /** One of {@code candidates} that runs a task of the sink, once there is one. */
    private static ChildWorker runningASinkTask(ConnectRest rest, List<ChildWorker> candidates) {
        AtomicReference<ChildWorker> found = new AtomicReference<>();
        Journals.await(WAIT, () -> {
            try {
                for (JsonNode t : rest.status("cluster-sink").path("tasks")) {
                    for (ChildWorker w : candidates) {
                        if ("RUNNING".equals(t.path("state").asText()) && w.workerId().equals(t.path("worker_id").asText())) {
                            found.set(w);
                            return true;
                        }
                    }
                }
            } catch (RuntimeException rebalancing) {
                log.debug("status of the sink not available now", rebalancing);
            }
            return false;
        }, () -> "no sink task runs on a child worker");
        return found.get();
    }

    /** How often {@code text} occurs in the file {@code log}; 0 when there is no such file. */
    private static long count(Path log, String text) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        return Files.readString(log).split(Pattern.quote(text), -1).length - 1;
    }

    /** Paced batches, every send checked, until {@code stop}; {@link #produced} holds each partition's end. */
    private void produce(SampleRecords samples, AtomicBoolean stop) {
        try (TestProducer p = CONNECT.producer()) {
            for (long i = 0; !stop.get(); i += 100) {
                for (RecordMetadata m : p.send(samples, i, i + 100)) {
                    produced.merge(new TopicPartition(m.topic(), m.partition()), m.offset() + 1, Math::max);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    /** Every half second: any FAILED connector or task, and how long each partition has made no progress. */
    private void watch(ConnectRest rest, String topic) {
        for (String name : List.of("cluster-sink", "cluster-source")) {
            try {
                JsonNode status = rest.status(name);
                if ("FAILED".equals(status.path("connector").path("state").asText())) {
                    failures.add(name + ": " + status.path("connector").path("trace").asText());
                }
                for (JsonNode t : status.path("tasks")) {
                    if ("FAILED".equals(t.path("state").asText())) {
                        failures.add(name + " task " + t.path("id").asText() + ": " + t.path("trace").asText());
                    }
                }
            } catch (RuntimeException rebalancing) {
                log.debug("status of {} not available now", name, rebalancing);
            }
        }
        Map<TopicPartition, Long> committed;
        try {
            committed = CONNECT.committed("cluster-sink");
        } catch (AssertionError | RuntimeException notNow) {
            return;
        }
        long now = System.nanoTime();
        for (int p = 0; p < PARTITIONS; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            long c = committed.getOrDefault(tp, 0L);
            long[] last = progress.computeIfAbsent(tp, k -> new long[]{-1, now});
            if (c < last[0]) {
                offsetsMovedBack.add(tp + ": " + last[0] + " -> " + c);
            }
            if (c > last[0] || c >= produced.getOrDefault(tp, 0L)) {
                last[0] = c;
                last[1] = now;
            } else {
                longestStallMs.accumulateAndGet((now - last[1]) / 1_000_000, Math::max);
            }
        }
    }

    /** Waits until every partition's committed offset has moved past where it was when {@code after} happened. */
    private void awaitProgress(String topic, String after) {
        Map<TopicPartition, Long> before = new HashMap<>(CONNECT.committed("cluster-sink"));
        Journals.await(WAIT, () -> {
            Map<TopicPartition, Long> now = CONNECT.committed("cluster-sink");
            for (int p = 0; p < PARTITIONS; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                if (now.getOrDefault(tp, -1L) <= before.getOrDefault(tp, -1L)) {
                    return false;
                }
            }
            return true;
        }, () -> "not every partition progressed after " + after + ": " + CONNECT.committed("cluster-sink")
                + "; task failures " + failures);
        log.info("Every partition progressed after {}", after);
    }
}

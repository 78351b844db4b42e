package io.clfs.connect.sink;

import io.clfs.connect.testing.ConnectRest;
import io.clfs.connect.testing.Journals;
import io.clfs.connect.testing.SampleRecords;
import io.clfs.connect.testing.TestProducer;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogLockedException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Exactly once under faults, on 1 broker and 3 workers: while records flow, workers leave and
 * join and the connector and its tasks are restarted; afterwards every partition's log holds
 * offsets 0..end-1, each once, in order. Also: a second writer on a log is fenced.
 */
class SinkExactlyOnceIT {
    private static final Logger log = LoggerFactory.getLogger(SinkExactlyOnceIT.class);
    private static final int PARTITIONS = 6;
    private static final Duration RUNNING = Duration.ofSeconds(90);
    private static EmbeddedConnectCluster connect;
    private static ConnectRest rest;

    @TempDir
    Path logs;

    @BeforeAll
    static void startCluster() {
        connect = EmbeddedConnect.start("clfs-exactly-once", 3);
        rest = EmbeddedConnect.rest(connect);
    }

    @AfterAll
    static void stopCluster() {
        if (connect != null) {
            connect.stop();
        }
    }

    /** Produces paced batches until stopped; returns each partition's end offset. */
    private static CompletableFuture<Map<TopicPartition, Long>> produceUntil(SampleRecords samples, AtomicBoolean stop) {
        return CompletableFuture.supplyAsync(() -> {
            Map<TopicPartition, Long> ends = new HashMap<>();
            try (TestProducer producer = new TestProducer(connect.kafka().bootstrapServers())) {
                long i = 0;
                while (!stop.get()) {
                    for (RecordMetadata m : producer.send(samples, i, i + 600)) {
                        ends.merge(new TopicPartition(m.topic(), m.partition()), m.offset() + 1, Math::max);
                    }
                    i += 600;
                    LockSupport.parkNanos(20_000_000L); // pace the flow so that faults land while records flow
                }
                log.info("Produced {} records during the faults", i);
            }
            return ends;
        });
    }

    /**
     * One disruption, retried while the cluster is rebalancing; then all tasks run again and the
     * sink commits new records past what it had before the fault, so every fault lands while
     * records flow and every new task incarnation journals some.
     */
    private static void fault(String name, String what, Runnable action) {
        long before = committedTotal(name);
        log.info("Fault: {} (committed so far: {})", what, before);
        Journals.await(RUNNING, () -> {
            try {
                action.run();
                return true;
            } catch (RuntimeException e) {
                log.info("Fault '{}' not accepted yet: {}", what, e.getMessage());
                return false;
            }
        }, () -> what + " was never accepted");
        rest.awaitRunning(name, 3, RUNNING);
        Journals.await(RUNNING, () -> committedTotal(name) > before + 3_000,
                () -> "no progress after '" + what + "': committed " + committedTotal(name));
    }

    private static long committedTotal(String name) {
        return Journals.committed(connect.kafka().bootstrapServers(), name).values().stream()
                .mapToLong(Long::longValue).sum();
    }

    @Test
    void noOffsetIsMissingOrDoubledWhileWorkersAndTasksRestart() {
        String name = "clfs-faults";
        String topic = "faults";
        EmbeddedConnect.createTopic(connect, topic, PARTITIONS);
        Map<String, String> config = SinkRoundTripContract.byteSinkConfig(topic, logs, 3);
        config.put(ClfsSinkConfig.RESTART_INTERVAL_RECORDS, "2000");
        rest.putConnector(name, config);
        rest.awaitRunning(name, 3, RUNNING);

        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Map<TopicPartition, Long>> producing = produceUntil(new SampleRecords(topic, PARTITIONS, false), stop);
        List<Consumer<String>> faults = List.of(
                n -> rest.call("POST", "/connectors/" + n + "/restart?includeTasks=true&onlyFailed=false", null),
                n -> connect.removeWorker(),
                n -> connect.addWorker(),
                n -> rest.call("POST", "/connectors/" + n + "/tasks/0/restart", null),
                n -> rest.call("POST", "/connectors/" + n + "/restart", null),
                n -> connect.removeWorker(),
                n -> connect.addWorker(),
                n -> rest.call("POST", "/connectors/" + n + "/restart?includeTasks=true&onlyFailed=false", null));
        List<String> names = List.of("restart connector and tasks", "a worker leaves", "a worker joins",
                "restart task 0", "restart the connector", "a worker leaves", "a worker joins",
                "restart connector and tasks");
        for (int f = 0; f < faults.size(); f++) {
            Consumer<String> action = faults.get(f);
            fault(name, names.get(f), () -> action.accept(name));
        }
        stop.set(true);
        Map<TopicPartition, Long> ends = producing.join();
        assertThat(ends).hasSize(PARTITIONS);
        Journals.awaitCommitted(connect.kafka().bootstrapServers(), name, ends, Duration.ofSeconds(120));
        rest.deleteConnector(name);

        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            List<Long> offsets = Journals.offsets(Journals.dirOf(logs, topic, e.getKey().partition()));
            assertThat(offsets).as("offsets in the log of %s", e.getKey()).hasSize(e.getValue().intValue())
                    .containsExactlyElementsOf(LongStream.range(0, e.getValue()).boxed().toList());
        }
    }

    @Test
    void aSecondWriterOnALogIsFenced() {
        String topic = "fenced";
        EmbeddedConnect.createTopic(connect, topic, 2);
        rest.putConnector("clfs-owner", SinkRoundTripContract.byteSinkConfig(topic, logs, 1));
        rest.awaitRunning("clfs-owner", 1, RUNNING);
        SampleRecords samples = new SampleRecords(topic, 2, false);
        Map<TopicPartition, Long> ends = new HashMap<>();
        try (TestProducer producer = new TestProducer(connect.kafka().bootstrapServers())) {
            producer.send(samples, 0, 1000).forEach(m -> ends.merge(new TopicPartition(topic, m.partition()),
                    m.offset() + 1, Math::max));
            Journals.awaitCommitted(connect.kafka().bootstrapServers(), "clfs-owner", ends, Duration.ofSeconds(60));

            // Another process (or tool) cannot open the log as a writer while the task owns it.
            assertThatThrownBy(() -> ClfsLog.open(Journals.dirOf(logs, topic, 0)).close())
                    .isInstanceOf(LogLockedException.class);

            // A second connector pointed at the same logs fails instead of writing beside the owner.
            Map<String, String> intruder = SinkRoundTripContract.byteSinkConfig(topic, logs, 1);
            intruder.put(ClfsSinkConfig.OPEN_TIMEOUT_MS, "1000");
            rest.putConnector("clfs-intruder", intruder);
            String trace = rest.awaitFailedTask("clfs-intruder", RUNNING);
            assertThat(trace).contains("held by another writer");
            rest.deleteConnector("clfs-intruder");

            producer.send(samples, 1000, 2000).forEach(m -> ends.merge(new TopicPartition(topic, m.partition()),
                    m.offset() + 1, Math::max));
        }
        Journals.awaitCommitted(connect.kafka().bootstrapServers(), "clfs-owner", ends, Duration.ofSeconds(60));
        assertThat(rest.running("clfs-owner", 1)).isTrue();
        rest.deleteConnector("clfs-owner");
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            assertThat(Journals.offsets(Journals.dirOf(logs, topic, e.getKey().partition())))
                    .containsExactlyElementsOf(LongStream.range(0, e.getValue()).boxed().toList());
        }
    }
}

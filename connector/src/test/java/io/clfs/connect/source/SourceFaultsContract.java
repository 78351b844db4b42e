package io.clfs.connect.source;

import io.clfs.connect.sink.EmbeddedConnect;
import io.clfs.connect.testing.ConnectRest;
import io.clfs.connect.testing.Journals;
import io.clfs.connect.testing.ReplayCheck;
import io.clfs.connect.testing.SampleRecords;
import io.clfs.connect.testing.TestProducer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay under faults, on 1 broker and 3 workers: while the sink journals and releases and
 * the source replays (paced, so that the faults land mid-replay), workers leave and join and the
 * connectors and tasks restart. Afterwards every released record is in the replay topic: at
 * least once without exactly-once support, exactly once (read_committed) with it. Subclasses
 * bring the cluster and the delivery they promise.
 */
@Tag("integration")
abstract class SourceFaultsContract {
    private static final Logger log = LoggerFactory.getLogger(SourceFaultsContract.class);
    static final int PARTITIONS = 6;
    static final Duration RUNNING = Duration.ofSeconds(90);
    static EmbeddedConnectCluster connect;

    @TempDir
    Path logs;

    protected abstract ReplayCheck.Delivery delivery();

    /** Connector settings the delivery needs (exactly-once support, transaction boundary). */
    protected abstract Map<String, String> sourceExtras();

    static EmbeddedConnectCluster start(String name, Map<String, String> extraWorkerProps) {
        Map<String, String> w = EmbeddedConnect.workerProps();
        w.putAll(extraWorkerProps);
        java.util.Properties broker = new java.util.Properties();
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");
        EmbeddedConnectCluster c = (EmbeddedConnectCluster) new EmbeddedConnectCluster.Builder().name(name)
                .numWorkers(3).numBrokers(1).brokerProps(broker).workerProps(w).build();
        c.start();
        return c;
    }

    @AfterAll
    static void stopCluster() {
        if (connect != null) {
            connect.stop();
            connect = null;
        }
    }

    @AfterEach
    void quiesce() {
        SourceRoundTripContract.quiesce(rest(), logs);
    }

    static ConnectRest rest() {
        return EmbeddedConnect.rest(connect);
    }

    Map<String, String> source(int tasks) {
        Map<String, String> c = SourceRoundTripContract.sourceConfig(logs, tasks);
        c.putAll(sourceExtras());
        return c;
    }

    /** Records committed to a topic so far (read_committed end offsets): the replay's progress. */
    static long committedRecords(String topic, int partitions) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connect.kafka().bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
            return c.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Produces paced batches until stopped; returns each partition's end offset. */
    static CompletableFuture<Map<TopicPartition, Long>> produceUntil(SampleRecords samples, AtomicBoolean stop) {
        return CompletableFuture.supplyAsync(() -> {
            Map<TopicPartition, Long> ends = new HashMap<>();
            try (TestProducer producer = new TestProducer(connect.kafka().bootstrapServers())) {
                long i = 0;
                while (!stop.get()) {
                    for (RecordMetadata m : producer.send(samples, i, i + 200)) {
                        ends.merge(new TopicPartition(m.topic(), m.partition()), m.offset() + 1, Math::max);
                    }
                    i += 200;
                    LockSupport.parkNanos(100_000_000L); // pace the flow so that the faults land mid-replay
                }
                log.info("Produced {} records during the faults", i);
            }
            return ends;
        });
    }

    /** One disruption (retried while the cluster rebalances), then all tasks run and the replay moves on. */
    private static void fault(String what, String replayTopic, Runnable action) {
        long before = committedRecords(replayTopic, PARTITIONS);
        log.info("Fault: {} (replayed so far: {})", what, before);
        Journals.await(RUNNING, () -> {
            try {
                action.run();
                return true;
            } catch (RuntimeException e) {
                log.info("Fault '{}' not accepted yet: {}", what, e.getMessage());
                return false;
            }
        }, () -> what + " was never accepted");
        rest().awaitRunning("faults-source", 3, RUNNING);
        Journals.await(RUNNING, () -> committedRecords(replayTopic, PARTITIONS) > before + 1_000,
                () -> "no replay progress after '" + what + "'");
    }

    @Test
    void noReleasedRecordIsMissingWhileWorkersAndTasksRestartMidReplay() {
        String topic = "faults";
        String replay = topic + ".replay";
        EmbeddedConnect.createTopic(connect, topic, PARTITIONS);
        EmbeddedConnect.createTopic(connect, replay, PARTITIONS);
        rest().putConnector("faults-sink", SourceRoundTripContract.sinkConfig(topic, logs, 3));
        rest().awaitRunning("faults-sink", 3, RUNNING);
        SourceRoundTripContract.awaitLogs(logs, topic, PARTITIONS);
        Map<String, String> source = source(3);
        source.put(ClfsSourceConfig.MAX_RECORDS_PER_SECOND, "1500");
        source.put(ClfsSourceConfig.BATCH_SIZE, "100");
        rest().putConnector("faults-source", source);
        rest().awaitRunning("faults-source", 3, RUNNING);

        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Map<TopicPartition, Long>> producing =
                produceUntil(new SampleRecords(topic, PARTITIONS, false), stop);
        List<Consumer<String>> faults = List.of(
                n -> rest().call("POST", "/connectors/" + n + "/restart?includeTasks=true&onlyFailed=false", null),
                n -> connect.removeWorker(),
                n -> connect.addWorker(),
                n -> rest().call("POST", "/connectors/" + n + "/tasks/1/restart", null),
                n -> connect.removeWorker(),
                n -> connect.addWorker());
        List<String> names = List.of("restart the source connector and tasks", "a worker leaves", "a worker joins",
                "restart source task 1", "a worker leaves", "a worker joins");
        for (int f = 0; f < faults.size(); f++) {
            Consumer<String> action = faults.get(f);
            fault(names.get(f), replay, () -> action.accept("faults-source"));
        }
        stop.set(true);
        Map<TopicPartition, Long> ends = producing.join();
        assertThat(ends).hasSize(PARTITIONS);
        Journals.awaitCommitted(connect.kafka().bootstrapServers(), "faults-sink", ends, RUNNING);
        rest().putConnector("faults-source", unpaced(source));
        SourceRoundTripContract.awaitReleasedAndArchived(logs, ends);

        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        assertThat(ReplayCheck.verify(connect.kafka().bootstrapServers(), topic, replay, logs, PARTITIONS, delivery()))
                .isEqualTo(total);
        rest().deleteConnector("faults-source");
        rest().deleteConnector("faults-sink");
    }

    /** After the faults: the rest of the replay at full speed (a reconfiguration, one more restart). */
    private static Map<String, String> unpaced(Map<String, String> source) {
        Map<String, String> c = new HashMap<>(source);
        c.put(ClfsSourceConfig.MAX_RECORDS_PER_SECOND, "0");
        c.put(ClfsSourceConfig.BATCH_SIZE, "1000");
        return c;
    }
}

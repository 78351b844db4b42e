package io.clfs.connect.source;

import io.clfs.connect.testing.ConnectRest;
import io.clfs.connect.testing.EmbeddedConnectFixture;
import io.clfs.connect.testing.Faults;
import io.clfs.connect.testing.Journals;
import io.clfs.connect.testing.ReplayCheck;
import io.clfs.connect.testing.SampleRecords;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay under faults, on 1 broker and 3 workers: while the sink journals and releases and
 * the source replays (paced, so that the faults land mid-replay), workers leave and join and the
 * connectors and tasks restart. Afterwards every released record is in the replay topic: at
 * least once without exactly-once support, exactly once (read_committed) with it. Subclasses
 * bring the cluster (with the worker settings their delivery needs) and the delivery they promise.
 */
@Tag("integration")
abstract class SourceFaultsContract {
    private static final Logger log = LoggerFactory.getLogger(SourceFaultsContract.class);
    static final int PARTITIONS = 6;
    static final Duration RUNNING = Duration.ofSeconds(90);

    @TempDir
    Path logs;

    /** One broker and three workers, with the worker settings the delivery needs. */
    private final EmbeddedConnectFixture connect;
    private final ReplayCheck.Delivery delivery;
    /** Connector settings the delivery needs (exactly-once support, transaction boundary). */
    private final Map<String, String> sourceExtras;

    SourceFaultsContract(EmbeddedConnectFixture connect, ReplayCheck.Delivery delivery,
                         Map<String, String> sourceExtras) {
        this.connect = connect;
        this.delivery = delivery;
        this.sourceExtras = sourceExtras;
    }

    @AfterEach
    void quiesce() {
        SourceRoundTripContract.quiesce(rest(), logs);
    }

    ConnectRest rest() {
        return connect.rest();
    }

    Map<String, String> source(int tasks) {
        Map<String, String> c = SourceRoundTripContract.sourceConfig(logs, tasks);
        c.putAll(sourceExtras);
        return c;
    }

    /** Records committed to a topic so far (read_committed end offsets): the replay's progress. */
    long committedRecords(String topic, int partitions) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connect.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
            return c.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** One disruption, then all tasks run and the replay moves on. */
    private void fault(Faults.Fault fault, String replayTopic) {
        long before = committedRecords(replayTopic, PARTITIONS);
        log.info("Fault: {} (replayed so far: {})", fault.what(), before);
        Faults.inject(fault, RUNNING);
        rest().awaitRunning("faults-source", 3, RUNNING);
        Journals.await(RUNNING, () -> committedRecords(replayTopic, PARTITIONS) > before + 1_000,
                () -> "no replay progress after '" + fault.what() + "'");
    }

    @Test
    void noReleasedRecordIsMissingWhileWorkersAndTasksRestartMidReplay() {
        String topic = "faults";
        String replay = topic + ".replay";
        connect.createTopic(topic, PARTITIONS);
        connect.createTopic(replay, PARTITIONS);
        rest().putConnector("faults-sink", SourceRoundTripContract.sinkConfig(topic, logs, 3));
        rest().awaitRunning("faults-sink", 3, RUNNING);
        SourceRoundTripContract.awaitLogs(logs, topic, PARTITIONS);
        Map<String, String> source = source(3);
        source.put(ClfsSourceConfig.MAX_RECORDS_PER_SECOND, "1500");
        source.put(ClfsSourceConfig.BATCH_SIZE, "100");
        rest().putConnector("faults-source", source);
        rest().awaitRunning("faults-source", 3, RUNNING);

        AtomicBoolean stop = new AtomicBoolean();
        // paced so that the faults land mid-replay
        CompletableFuture<Map<TopicPartition, Long>> producing = Faults.produceUntil(connect,
                new SampleRecords(topic, PARTITIONS, false), 200, Duration.ofMillis(100), stop);
        for (Faults.Fault f : List.of(
                Faults.restartConnectorAndTasks(rest(), "faults-source"),
                Faults.workerLeaves(connect),
                Faults.workerJoins(connect),
                Faults.restartTask(rest(), "faults-source", 1),
                Faults.workerLeaves(connect),
                Faults.workerJoins(connect))) {
            fault(f, replay);
        }
        stop.set(true);
        Map<TopicPartition, Long> ends = producing.join();
        assertThat(ends).hasSize(PARTITIONS);
        connect.awaitCommitted("faults-sink", ends, RUNNING);
        rest().putConnector("faults-source", unpaced(source));
        SourceRoundTripContract.awaitReleasedAndArchived(logs, ends);

        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        assertThat(ReplayCheck.verify(connect.bootstrapServers(), topic, replay, logs, PARTITIONS, delivery))
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

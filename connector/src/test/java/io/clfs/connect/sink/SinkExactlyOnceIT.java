package io.clfs.connect.sink;

import io.clfs.connect.testing.ConnectRest;
import io.clfs.connect.testing.ConnectorConfigs;
import io.clfs.connect.testing.EmbeddedConnectFixture;
import io.clfs.connect.testing.Faults;
import io.clfs.connect.testing.Journals;
import io.clfs.connect.testing.SampleRecords;
import io.clfs.connect.testing.TestProducer;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogLockedException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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

    @RegisterExtension
    static final EmbeddedConnectFixture CONNECT = EmbeddedConnectFixture.of("clfs-exactly-once", 3);

    @TempDir
    Path logs;

    /**
     * One disruption; then all tasks run again and the sink commits new records past what it had
     * before the fault, so every fault lands while records flow and every new task incarnation
     * journals some.
     */
    private static void fault(String name, Faults.Fault fault) {
        long before = committedTotal(name);
        log.info("Fault: {} (committed so far: {})", fault.what(), before);
        Faults.inject(fault, RUNNING);
        CONNECT.rest().awaitRunning(name, 3, RUNNING);
        Journals.await(RUNNING, () -> committedTotal(name) > before + 3_000,
                () -> "no progress after '" + fault.what() + "': committed " + committedTotal(name));
    }

    private static long committedTotal(String name) {
        return CONNECT.committed(name).values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void noOffsetIsMissingOrDoubledWhileWorkersAndTasksRestart() {
        String name = "clfs-faults";
        String topic = "faults";
        CONNECT.createTopic(topic, PARTITIONS);
        Map<String, String> config = ConnectorConfigs.byteSink(topic, logs, 3);
        config.put(ClfsSinkConfig.RESTART_INTERVAL_RECORDS, "2000");
        ConnectRest rest = CONNECT.rest();
        rest.putConnector(name, config);
        rest.awaitRunning(name, 3, RUNNING);

        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Map<TopicPartition, Long>> producing = Faults.produceUntil(CONNECT,
                new SampleRecords(topic, PARTITIONS, false), 600, Duration.ofMillis(20), stop);
        for (Faults.Fault f : List.of(
                Faults.restartConnectorAndTasks(rest, name),
                Faults.workerLeaves(CONNECT),
                Faults.workerJoins(CONNECT),
                Faults.restartTask(rest, name, 0),
                Faults.restartConnector(rest, name),
                Faults.workerLeaves(CONNECT),
                Faults.workerJoins(CONNECT),
                Faults.restartConnectorAndTasks(rest, name))) {
            fault(name, f);
        }
        stop.set(true);
        Map<TopicPartition, Long> ends = producing.join();
        assertThat(ends).hasSize(PARTITIONS);
        CONNECT.awaitCommitted(name, ends, Duration.ofSeconds(120));
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
        CONNECT.createTopic(topic, 2);
        ConnectRest rest = CONNECT.rest();
        rest.putConnector("clfs-owner", ConnectorConfigs.byteSink(topic, logs, 1));
        rest.awaitRunning("clfs-owner", 1, RUNNING);
        SampleRecords samples = new SampleRecords(topic, 2, false);
        Map<TopicPartition, Long> ends = new HashMap<>();
        try (TestProducer producer = CONNECT.producer()) {
            producer.send(samples, 0, 1000).forEach(m -> ends.merge(new TopicPartition(topic, m.partition()),
                    m.offset() + 1, Math::max));
            CONNECT.awaitCommitted("clfs-owner", ends, Duration.ofSeconds(60));

            // Another process (or tool) cannot open the log as a writer while the task owns it.
            assertThatThrownBy(() -> ClfsLog.open(Journals.dirOf(logs, topic, 0)).close())
                    .isInstanceOf(LogLockedException.class);

            // A second connector pointed at the same logs fails instead of writing beside the owner.
            Map<String, String> intruder = ConnectorConfigs.byteSink(topic, logs, 1);
            intruder.put(ClfsSinkConfig.OPEN_TIMEOUT_MS, "1000");
            rest.putConnector("clfs-intruder", intruder);
            String trace = rest.awaitFailedTask("clfs-intruder", RUNNING);
            assertThat(trace).contains("held by another writer");
            rest.deleteConnector("clfs-intruder");

            producer.send(samples, 1000, 2000).forEach(m -> ends.merge(new TopicPartition(topic, m.partition()),
                    m.offset() + 1, Math::max));
        }
        CONNECT.awaitCommitted("clfs-owner", ends, Duration.ofSeconds(60));
        assertThat(rest.running("clfs-owner", 1)).isTrue();
        rest.deleteConnector("clfs-owner");
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            assertThat(Journals.offsets(Journals.dirOf(logs, topic, e.getKey().partition())))
                    .containsExactlyElementsOf(LongStream.range(0, e.getValue()).boxed().toList());
        }
    }
}

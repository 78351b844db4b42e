package io.clfs.connect.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.clfs.connect.sink.ClfsSinkConfig;
import io.clfs.connect.testing.ConnectFixture;
import io.clfs.connect.testing.ConnectRest;
import io.clfs.connect.testing.ConnectorConfigs;
import io.clfs.connect.testing.Journals;
import io.clfs.connect.testing.ReplayCheck;
import io.clfs.connect.testing.SampleRecords;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogLockedException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The full pipeline every Kafka the source runs against must pass: topic -> sink -> log ->
 * source -> replay topic. The sink journals 6 partitions and its retention moves the bases (the
 * sample records carry 2023 timestamps, so each restart area releases what is before it); the
 * source replays what was released. Afterwards each replay partition holds exactly its log's
 * released records, byte for byte, in order, with the clfs.* headers, and every archive tail
 * has reached its base. Subclasses bring Kafka and the Connect worker(s) as a {@link ConnectFixture}.
 */
@Tag("integration")
public abstract class SourceRoundTripContract {
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    protected Path logs;

    /** The broker and the worker(s): the tests run one task per worker. */
    private final ConnectFixture connect;

    protected SourceRoundTripContract(ConnectFixture connect) {
        this.connect = connect;
    }

    protected ConnectRest rest() {
        return connect.rest();
    }

    protected int tasks() {
        return connect.workers();
    }

    /** The sink as the pipeline uses it: bytes, frequent restart areas, so the bases move often. */
    static Map<String, String> sinkConfig(String topic, Path logDir, int tasks) {
        Map<String, String> c = ConnectorConfigs.byteSink(topic, logDir, tasks);
        c.put(ClfsSinkConfig.RESTART_INTERVAL_RECORDS, "500");
        c.put(ClfsSinkConfig.RESTART_INTERVAL_MS, "300");
        return c;
    }

    /** The source with bytes in and out, and short intervals so that tests see progress quickly. */
    static Map<String, String> sourceConfig(Path logDir, int tasks) {
        Map<String, String> c = ConnectorConfigs.byteSource(logDir, tasks);
        c.put(ClfsSourceConfig.POLL_INTERVAL_MS, "200");
        c.put(ClfsSourceConfig.ARCHIVE_INTERVAL_MS, "200");
        c.put(ClfsSourceConfig.DISCOVERY_INTERVAL_MS, "500");
        return c;
    }

    static void awaitLogs(Path logDir, String topic, int partitions) {
        Journals.await(TIMEOUT, () -> {
            for (int p = 0; p < partitions; p++) {
                if (!ClfsLog.exists(Journals.dirOf(logDir, topic, p))) {
                    return false;
                }
            }
            return true;
        }, () -> "the sink never created the logs of " + topic);
    }

    /** Waits until the sink released everything up to {@code ends} and the source archived all of it. */
    static void awaitReleasedAndArchived(Path logDir, Map<TopicPartition, Long> ends) {
        Journals.await(TIMEOUT, () -> ends.entrySet().stream().allMatch(e -> {
            Path dir = Journals.dirOf(logDir, e.getKey().topic(), e.getKey().partition());
            return ReplayCheck.releasedEnd(dir) == e.getValue() && ReplayCheck.archived(dir);
        }), () -> "not everything was released and archived: " + progress(logDir, ends));
    }

    private static String progress(Path logDir, Map<TopicPartition, Long> ends) {
        StringBuilder b = new StringBuilder();
        ends.forEach((tp, end) -> {
            Path dir = Journals.dirOf(logDir, tp.topic(), tp.partition());
            b.append(tp).append(": released ").append(ReplayCheck.releasedEnd(dir)).append('/').append(end)
                    .append(ReplayCheck.archived(dir) ? " archived; " : " not archived; ");
        });
        return b.toString();
    }

    /**
     * Deletes every connector and waits until their tasks let go of the logs, so that the next
     * test starts clean and the temporary log directory can be removed.
     */
    @AfterEach
    void quiesce() {
        quiesce(rest(), logs);
    }

    static void quiesce(ConnectRest rest, Path logs) {
        for (JsonNode name : rest.call("GET", "/connectors", null)) {
            rest.deleteConnector(name.asText());
        }
        Journals.await(TIMEOUT, () -> rest.call("GET", "/connectors", null).isEmpty(), () -> "connectors left");
        Journals.await(TIMEOUT, () -> {
            try (Stream<Path> dirs = Files.list(logs)) {
                return dirs.filter(ClfsLog::exists).allMatch(SourceRoundTripContract::released);
            } catch (IOException e) {
                return false;
            }
        }, () -> "a sink task still holds a log in " + logs);
    }

    private static boolean released(Path logDir) {
        try {
            ClfsLog.open(logDir).close();
            return true;
        } catch (LogLockedException e) {
            return false;
        }
    }

    @Test
    void theReplayTopicHoldsExactlyTheReleasedRecordsOfEachPartitionInOrder() {
        String topic = "pipeline";
        int partitions = 6;
        connect.createTopic(topic, partitions);
        connect.createTopic(topic + ".replay", partitions);
        rest().putConnector("pipeline-sink", sinkConfig(topic, logs, tasks()));
        rest().awaitRunning("pipeline-sink", tasks(), TIMEOUT);
        awaitLogs(logs, topic, partitions);
        rest().putConnector("pipeline-source", sourceConfig(logs, tasks()));
        rest().awaitRunning("pipeline-source", tasks(), TIMEOUT);

        Map<TopicPartition, Long> ends = connect.produce(new SampleRecords(topic, partitions, false), 0, 30_000);
        connect.awaitCommitted("pipeline-sink", ends, TIMEOUT);
        awaitReleasedAndArchived(logs, ends);

        long checked = ReplayCheck.verify(connect.bootstrapServers(), topic, topic + ".replay", logs, partitions,
                ReplayCheck.Delivery.EXACTLY_ONCE);
        assertThat(checked).isEqualTo(30_000);
        rest().deleteConnector("pipeline-source");
        rest().deleteConnector("pipeline-sink");
    }

}

package io.clfs.connect.demo;

import io.clfs.connect.testing.ConnectFixture;
import io.clfs.connect.testing.ConnectorConfigs;
import io.clfs.connect.testing.Journals;
import io.clfs.connect.testing.ReplayCheck;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The source half of the main job: the CLFS source connector replays what the sink released
 * from each log into {@code <topic>.replay} and archives it (moves the archive tail), and at the
 * end {@link ReplayCheck} confirms that the replay topic holds exactly the released records.
 * Usable on its own by any demo that runs the sink on a {@link ConnectFixture}.
 */
final class ReplayStage {
    static final String CONNECTOR = "clfs-source";

    private final ConnectFixture connect;
    private final String topic;
    private final String replayTopic;
    private final int partitions;
    private final Path logDir;

    ReplayStage(ConnectFixture connect, String topic, int partitions, Path logDir) {
        this.connect = connect;
        this.topic = topic;
        this.replayTopic = topic + ".replay";
        this.partitions = partitions;
        this.logDir = logDir;
    }

    String replayTopic() {
        return replayTopic;
    }

    /** Creates the replay topic (same partitions: records keep theirs) and starts the source connector. */
    void start() {
        connect.createTopic(replayTopic, partitions);
        Map<String, String> config = ConnectorConfigs.byteSource(logDir, Math.min(partitions, 2));
        config.put("clfs.replay.discovery.interval.ms", "1000");
        connect.rest().putConnector(CONNECTOR, config);
    }

    /** Records in the replay topic so far. */
    long replayed() {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connect.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(replayTopic, p))
                    .toList();
            return c.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Waits until the sink released every record up to {@code ends} and the source archived them all. */
    void awaitArchived(Map<TopicPartition, Long> ends, Duration timeout) {
        Journals.await(timeout, () -> ends.entrySet().stream().allMatch(e -> {
            Path dir = Journals.dirOf(logDir, topic, e.getKey().partition());
            return ReplayCheck.releasedEnd(dir) == e.getValue() && ReplayCheck.archived(dir);
        }), () -> "the sink did not release, or the source did not archive, every record");
    }

    /** @return the number of released records the replay topic holds, each once, identical to its origin */
    long verify() {
        return ReplayCheck.verify(connect.bootstrapServers(), topic, replayTopic, logDir, partitions,
                ReplayCheck.Delivery.EXACTLY_ONCE);
    }
}

package io.clfs.connect.demo;

import io.clfs.connect.testing.ConnectRest;
import io.clfs.connect.testing.Journals;
import io.clfs.connect.testing.ReplayCheck;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The source half of the main job: the CLFS source connector replays what the sink released
 * from each log into {@code <topic>.replay} and archives it (moves the archive tail), and at the
 * end {@link ReplayCheck} confirms that the replay topic holds exactly the released records.
 * Usable on its own by any demo that runs the sink on an embedded cluster.
 */
final class ReplayStage {
    static final String CONNECTOR = "clfs-source";
    private static final String BYTES = "org.apache.kafka.connect.converters.ByteArrayConverter";

    private final EmbeddedConnectCluster cluster;
    private final ConnectRest rest;
    private final String topic;
    private final String replayTopic;
    private final int partitions;
    private final Path logDir;

    ReplayStage(EmbeddedConnectCluster cluster, ConnectRest rest, String topic, int partitions, Path logDir) {
        this.cluster = cluster;
        this.rest = rest;
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
        cluster.kafka().createTopic(replayTopic, partitions);
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "ClfsSourceConnector");
        config.put("tasks.max", Integer.toString(Math.min(partitions, 2)));
        config.put("key.converter", BYTES);
        config.put("value.converter", BYTES);
        config.put("header.converter", BYTES);
        config.put("clfs.log.dir", logDir.toString());
        config.put("clfs.replay.discovery.interval.ms", "1000");
        rest.putConnector(CONNECTOR, config);
    }

    /** Records in the replay topic so far. */
    long replayed() {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka().bootstrapServers()),
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
        return ReplayCheck.verify(cluster.kafka().bootstrapServers(), topic, replayTopic, logDir, partitions,
                ReplayCheck.Delivery.EXACTLY_ONCE);
    }
}

package io.clfs.connect.sink;

import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.connect.envelope.TopicOrigin;
import io.clfs.connect.source.ClfsSourceConfig;
import io.clfs.connect.testing.ConnectFixture;
import io.clfs.connect.testing.ConnectorConfigs;
import io.clfs.connect.testing.EmbeddedConnectFixture;
import io.clfs.connect.testing.Journals;
import io.clfs.connect.testing.ReplayCheck;
import io.clfs.log.ClfsLog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka starting a partition over under a running sink: a topic deleted and recreated goes into a
 * new log generation and the old one stays for replay; records deleted before the sink saw them
 * are journaled as a gap. Nothing is skipped as a redelivery.
 */
class SinkGenerationsIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    @RegisterExtension
    static final EmbeddedConnectFixture CONNECT = EmbeddedConnectFixture.of("clfs-generations", 1);

    @TempDir
    Path logs;

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, CONNECT.bootstrapServers()));
    }

    private static void produce(String topic, String prefix, long from, long to) {
        CONNECT.produceValues(topic, expected(prefix, from, to).stream().map(v -> v.getBytes(StandardCharsets.UTF_8))
                .toList());
    }

    /** Creates {@code topic} and starts sink {@code name} journaling it into {@code root}, with {@code extra} settings. */
    private static Map<String, String> startSink(String name, String topic, Path root, String... extra) {
        CONNECT.createTopic(topic, 1);
        Map<String, String> sink = ConnectorConfigs.byteSink(topic, root, 1);
        sink.put("name", name);
        for (int i = 0; i < extra.length; i += 2) {
            sink.put(extra[i], extra[i + 1]);
        }
        CONNECT.rest().putConnector(name, sink);
        return sink;
    }

    private static List<String> values(Path logDir) {
        List<String> out = new ArrayList<>();
        Journals.forEach(logDir, e -> out.add(new String(e.value().bytes(), StandardCharsets.UTF_8)));
        return out;
    }

    private static List<String> expected(String prefix, long from, long to) {
        return LongStream.range(from, to).mapToObj(i -> prefix + i).toList();
    }

    private static void awaitLog(Path logDir, List<String> values) {
        Journals.await(WAIT, () -> ClfsLog.exists(logDir) && values(logDir).size() >= values.size(),
                () -> logDir + " holds " + (ClfsLog.exists(logDir) ? values(logDir) : "nothing") + ", expected " + values);
        assertThat(values(logDir)).containsExactlyElementsOf(values);
    }

    @Test
    void aRecreatedTopicGoesIntoANewGenerationAndBothAreReplayed() throws Exception {
        String topic = "recreated";
        Path root = logs.resolve("recreated");
        // Each restart area releases what came before it, so the source replays the live generation too.
        startSink("recreated-sink", topic, root, ClfsSinkConfig.RESTART_INTERVAL_MS, "500",
                ClfsSinkConfig.RETENTION_BYTES, "0");
        produce(topic, "old-", 0, 50);
        Path first = Journals.dirOf(root, topic, 0);
        awaitLog(first, expected("old-", 0, 50));

        try (Admin admin = admin()) {
            admin.deleteTopics(List.of(topic)).all().get();
            Journals.await(WAIT, () -> !topicExists(admin, topic), () -> topic + " is still listed after deletion");
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(ConnectFixture.TOPIC_CONFIG))).all().get();
        }
        produce(topic, "new-", 0, 30);
        Path second = LogGenerations.dirOf(root, new TopicPartition(topic, 0), 1);
        awaitLog(second, expected("new-", 0, 30));
        assertThat(values(first)).containsExactlyElementsOf(expected("old-", 0, 50)); // kept whole
        try (ClfsLog old = ClfsLog.openReadOnly(first)) {
            assertThat(SinkRestartArea.decode(old.stream().readRestartArea().data()).finished()).isTrue();
        }

        Map<String, String> source = ConnectorConfigs.byteSource(root, 1);
        source.put(ClfsSourceConfig.DISCOVERY_INTERVAL_MS, "500");
        CONNECT.createTopic(topic + ".replay", 1);
        CONNECT.rest().putConnector("recreated-source", source);
        List<String> all = new ArrayList<>(expected("old-", 0, 50));
        all.addAll(expected("new-", 0, 30));
        TopicPartition replay = new TopicPartition(topic + ".replay", 0);
        Journals.await(WAIT, () -> ReplayCheck.read(CONNECT.bootstrapServers(), replay, -1).size() >= all.size(),
                () -> "replayed only " + ReplayCheck.read(CONNECT.bootstrapServers(), replay, -1).size() + " of "
                        + all.size());
        List<String> replayed = ReplayCheck.read(CONNECT.bootstrapServers(), replay, -1).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        assertThat(replayed).containsExactlyInAnyOrderElementsOf(all);
        CONNECT.rest().deleteConnector("recreated-source");
        CONNECT.rest().deleteConnector("recreated-sink");
    }

    /**
     * The case offsets alone cannot see: the topic recreated and refilled past the log's end while the
     * sink was stopped. Kafka would follow the sink's seek to the old end; the topic id tells.
     */
    @Test
    void aTopicRecreatedPastTheLogsEndIsToldByItsTopicId() throws Exception {
        String topic = "refilled";
        Path root = logs.resolve("refilled");
        Map<String, String> sink = startSink("refilled-sink", topic, root,
                ClfsSinkConfig.ORIGIN_BOOTSTRAP_SERVERS, CONNECT.bootstrapServers());
        produce(topic, "old-", 0, 50);
        Path first = Journals.dirOf(root, topic, 0);
        awaitLog(first, expected("old-", 0, 50));
        CONNECT.awaitCommitted("refilled-sink", Map.of(new TopicPartition(topic, 0), 50L), WAIT);
        CONNECT.rest().deleteConnector("refilled-sink");
        Uuid oldId;
        try (Admin admin = admin()) {
            oldId = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).topicId();
            admin.deleteTopics(List.of(topic)).all().get();
            Journals.await(WAIT, () -> !topicExists(admin, topic), () -> topic + " is still listed after deletion");
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("retention.ms", "-1",
                    "max.message.bytes", "2000000")))).all().get();
        }
        produce(topic, "new-", 0, 600);
        CONNECT.rest().putConnector("refilled-sink", sink);

        Path second = LogGenerations.dirOf(root, new TopicPartition(topic, 0), 1);
        awaitLog(second, expected("new-", 0, 600));
        assertThat(values(first)).containsExactlyElementsOf(expected("old-", 0, 50)); // kept whole
        SinkRestartArea old = newestRestartArea(first);
        assertThat(old.finished()).isTrue();
        assertThat(old.origin().topicId()).isEqualTo(oldId);
        TopicOrigin now = newestRestartArea(second).origin();
        assertThat(now.topicId()).isNotEqualTo(oldId);
        assertThat(now.partitions()).isEqualTo(1);
        assertThat(now.retentionMs()).isEqualTo(-1);
        assertThat(now.maxMessageBytes()).isEqualTo(2_000_000);
        assertThat(now.cleanupPolicy()).isEqualTo("delete");
        CONNECT.rest().deleteConnector("refilled-sink");
    }

    /** Offsets 20-29 deleted while the sink was stopped: the log says so, and nothing after them is lost. */
    @Test
    void recordsDeletedBeforeTheSinkSawThemAreJournaledAsAGap() throws Exception {
        String topic = "gapped";
        Path root = logs.resolve("gapped");
        Map<String, String> sink = startSink("gapped-sink", topic, root);
        produce(topic, "v", 0, 20);
        Path logDir = Journals.dirOf(root, topic, 0);
        awaitLog(logDir, expected("v", 0, 20));
        CONNECT.awaitCommitted("gapped-sink", Map.of(new TopicPartition(topic, 0), 20L), WAIT);
        CONNECT.rest().deleteConnector("gapped-sink"); // its consumer group, with offset 20, stays

        produce(topic, "v", 20, 40);
        try (Admin admin = admin()) {
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(30))).all().get();
        }
        CONNECT.rest().putConnector("gapped-sink", sink);
        List<String> kept = new ArrayList<>(expected("v", 0, 20));
        kept.addAll(expected("v", 30, 40));
        awaitLog(logDir, kept);
        SinkRestartArea ra = newestRestartArea(logDir); // written when the gap was found, before offset 30 was journaled
        assertThat(ra.gaps()).isEqualTo(1);
        assertThat(ra.recordsMissing()).isEqualTo(10);
        CONNECT.rest().deleteConnector("gapped-sink");
    }

    /** The newest restart area of the log in {@code logDir}. */
    private static SinkRestartArea newestRestartArea(Path logDir) {
        try (ClfsLog log = ClfsLog.openReadOnly(logDir)) {
            return SinkRestartArea.decode(log.stream().readRestartArea().data());
        }
    }

    private static boolean topicExists(Admin admin, String topic) {
        try {
            Set<String> names = admin.listTopics().names().get();
            return names.contains(topic);
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError("cannot list topics", e);
        }
    }
}

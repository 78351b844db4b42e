package io.clfs.connect.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.clfs.connect.envelope.TopicOrigin;
import io.clfs.connect.testing.ConnectorConfigs;
import io.clfs.connect.testing.Journals;
import io.clfs.connect.testing.ReplayCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import io.clfs.connect.testing.ConnectFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ClfsSourceConnector.validate()} runs the restore preflight against the real target topics
 * (Admin client) when {@code clfs.replay.bootstrap.servers} is set, and reports each problem on
 * the key that chose the target topic; without it nothing changes. A missing target whose origin
 * the sink recorded is created mirroring it. Subclasses bring the Kafka and the Connect worker as a
 * {@link ConnectFixture}: embedded, or in Docker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SourcePreflightContract {
    private static final long MAY_2023 = Instant.parse("2023-05-01T14:00:00Z").toEpochMilli();
    private static final String WEEK_MS = Long.toString(7L * 24 * 3600 * 1000);

    @TempDir
    static Path logs;

    private final ConnectFixture kafka;

    SourcePreflightContract(ConnectFixture kafka) {
        this.kafka = kafka;
    }

    /** Two partitions of orders, journaled in May 2023, and the target topics the tests replay them into. */
    @BeforeAll
    void journalAndCreateTargets() throws Exception {
        for (int p = 0; p < 2; p++) {
            try (TestLog log = new TestLog(logs, "orders", p, false)) {
                for (int i = 0; i < 20; i++) {
                    log.appendStamped(MAY_2023 + i, ("k" + i).getBytes());
                }
            }
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("restored-week", 2, (short) 1).configs(Map.of("retention.ms",
                    WEEK_MS)))).all().get();
        }
        kafka.createTopic("restored-one", 1);
        kafka.createTopic("restored-ok", 2);
    }

    private Map<String, String> restore(String target) {
        Map<String, String> c = ConnectorConfigs.byteSource(logs, 1);
        c.put("name", "restore");
        c.put(ClfsSourceConfig.MODE, "range");
        c.put(ClfsSourceConfig.FROM_OFFSET, "0");
        c.put(ClfsSourceConfig.TOPIC, target);
        c.put(ClfsSourceConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        return c;
    }

    /** The errors reported on each key, by key (only keys with errors). */
    private Map<String, String> errors(Map<String, String> config) {
        JsonNode result = kafka.rest().validate("ClfsSourceConnector", config);
        Map<String, String> errors = new HashMap<>();
        for (JsonNode c : result.path("configs")) {
            JsonNode value = c.path("value");
            if (!value.path("errors").isEmpty()) {
                errors.put(value.path("name").asText(), value.path("errors").toString());
            }
        }
        assertThat(result.path("error_count").asInt()).as(result.toString()).isEqualTo(errors.size());
        return errors;
    }

    @Test
    void aTargetWithAWeeksRetentionIsRefusedForRecordsFrom2023WithTheFix() {
        Map<String, String> errors = errors(restore("restored-week"));
        assertThat(errors).containsOnlyKeys(ClfsSourceConfig.TOPIC);
        assertThat(errors.get(ClfsSourceConfig.TOPIC)).contains("target topic restored-week", "retention.ms=" + WEEK_MS,
                "2023-05-01T14:00:00", "Set retention.ms=-1 on restored-week");
    }

    @Test
    void aMappedTargetWithFewerPartitionsIsReportedOnTheTopicMap() {
        Map<String, String> c = restore("restored-ok");
        c.put(ClfsSourceConfig.TOPIC_MAP, "orders:restored-one");
        Map<String, String> errors = errors(c);
        assertThat(errors).containsOnlyKeys(ClfsSourceConfig.TOPIC_MAP);
        assertThat(errors.get(ClfsSourceConfig.TOPIC_MAP)).contains("restored-one has 1 partition(s), fewer than the 2",
                ClfsSourceConfig.PARTITION_MAPPING + "=hash or modulo");
        c.put(ClfsSourceConfig.PARTITION_MAPPING, "modulo");
        assertThat(errors(c)).isEmpty();
    }

    @Test
    void aFittingTargetPasses() {
        assertThat(errors(restore("restored-ok"))).isEmpty();
    }

    @Test
    void withoutBootstrapServersNothingIsChecked() {
        Map<String, String> c = restore("restored-week");
        c.remove(ClfsSourceConfig.BOOTSTRAP_SERVERS);
        assertThat(errors(c)).isEmpty();
    }

    @Test
    void aClusterThatDoesNotAnswerIsReportedOnTheBootstrapServers() {
        Map<String, String> c = restore("restored-ok");
        c.put(ClfsSourceConfig.BOOTSTRAP_SERVERS, "localhost:1");
        c.put(ClfsSourceConfig.ADMIN_PREFIX + "default.api.timeout.ms", "3000");
        c.put(ClfsSourceConfig.ADMIN_PREFIX + "request.timeout.ms", "2000");
        Map<String, String> errors = errors(c);
        assertThat(errors).containsOnlyKeys(ClfsSourceConfig.BOOTSTRAP_SERVERS);
        assertThat(errors.get(ClfsSourceConfig.BOOTSTRAP_SERVERS)).contains("preflight of the replay target topics");
    }

    /**
     * Logs of partitions 0 and 1 of a topic the sink recorded with 4 partitions: a 2-partition target
     * is refused for the 4, and a missing target is created at task start with 4 partitions and the
     * origin's max.message.bytes, without retention.
     */
    @Test
    void aRecordedOriginCountsItsPartitionsAndAMissingTargetMirrorsIt(@TempDir Path recordedLogs) throws Exception {
        TopicOrigin origin = new TopicOrigin(Uuid.randomUuid(), 4, 3_000_000, 86_400_000L, -1, "delete");
        for (int p = 0; p < 2; p++) {
            try (TestLog log = new TestLog(recordedLogs, "payments", p, false)) {
                for (int i = 0; i < 20; i++) {
                    log.appendStamped(System.currentTimeMillis(), ("k" + i).getBytes());
                }
                log.restartArea(origin);
            }
        }
        Map<String, String> c = restore("restored-ok");
        c.put(ClfsSourceConfig.LOG_DIR, recordedLogs.toString());
        assertThat(errors(c).get(ClfsSourceConfig.TOPIC)).contains("fewer than the 4 of origin topic payments");

        c.put(ClfsSourceConfig.TOPIC, "payments-mirrored");
        c.put("name", "mirrored");
        assertThat(errors(c)).isEmpty();
        kafka.rest().putConnector("mirrored", c);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Journals.await(Duration.ofSeconds(60), () -> topicExists(admin, "payments-mirrored"),
                    () -> "payments-mirrored was not created");
            TargetTopic t = TargetTopic.describe(admin, List.of("payments-mirrored")).get("payments-mirrored");
            assertThat(t).isEqualTo(new TargetTopic("payments-mirrored", 4, 3_000_000, -1, -1, false));
        }
        Journals.await(Duration.ofSeconds(60), () -> replayed("payments-mirrored", 4) == 40,
                () -> "replayed " + replayed("payments-mirrored", 4) + " of 40");
        kafka.rest().deleteConnector("mirrored");
    }

    private static boolean topicExists(Admin admin, String topic) {
        try {
            return admin.listTopics().names().get().contains(topic);
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError("cannot list topics", e);
        }
    }

    private int replayed(String topic, int partitions) {
        int n = 0;
        for (int p = 0; p < partitions; p++) {
            n += ReplayCheck.read(kafka.bootstrapServers(), new TopicPartition(topic, p), -1).size();
        }
        return n;
    }
}

package io.clfs.connect.sink;

import io.clfs.connect.envelope.TopicOrigin;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sink's topics as the origin cluster describes them, one round per assignment. */
class OriginTopicsTest {
    private static final Node NODE = new Node(0, "localhost", 9092);

    private static MockAdminClient cluster() {
        MockAdminClient admin = new MockAdminClient(List.of(NODE), NODE);
        List<TopicPartitionInfo> three = IntStream.range(0, 3)
                .mapToObj(p -> new TopicPartitionInfo(p, NODE, List.of(NODE), List.of(NODE))).toList();
        admin.addTopic(false, "orders", three, Map.of("retention.ms", "-1", "cleanup.policy", "compact,delete",
                "max.message.bytes", "2000000"));
        admin.addTopic(false, "payments", three.subList(0, 1), Map.of());
        return admin;
    }

    @Test
    void describesEveryTopicOfTheAssignment() throws Exception {
        MockAdminClient admin = cluster();
        Uuid id = admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders").topicId();
        try (OriginTopics topics = new OriginTopics(admin, 5_000)) {
            topics.describe(List.of(new TopicPartition("orders", 0), new TopicPartition("orders", 2),
                    new TopicPartition("payments", 0)));
            assertThat(topics.of("orders")).isEqualTo(new TopicOrigin(id, 3, 2_000_000, -1, -1, "compact,delete"));
            TopicOrigin payments = topics.of("payments");
            assertThat(payments.partitions()).isEqualTo(1);
            assertThat(payments.retentionMs()).as("Kafka's default").isEqualTo(604_800_000L);
            assertThat(payments.cleanupPolicy()).isEqualTo("delete");
        }
    }

    @Test
    void aTopicTheClusterDoesNotKnowOrNoAnswerLeavesItUndescribed() {
        MockAdminClient admin = cluster();
        try (OriginTopics topics = new OriginTopics(admin, 5_000)) {
            topics.describe(List.of(new TopicPartition("orders", 0)));
            assertThat(topics.of("orders")).isNotNull();
            admin.timeoutNextRequest(1);
            topics.describe(List.of(new TopicPartition("orders", 0)));
            assertThat(topics.of("orders")).as("an old answer is not reused").isNull();
            topics.describe(List.of(new TopicPartition("gone", 0)));
            assertThat(topics.of("gone")).isNull();
        }
    }

    @Test
    void withoutBootstrapServersNothingIsDescribed() {
        try (OriginTopics topics = OriginTopics.of(new ClfsSinkConfig(Map.of(ClfsSinkConfig.LOG_DIR, "/tmp/x")))) {
            topics.describe(List.of(new TopicPartition("orders", 0)));
            assertThat(topics.of("orders")).isNull();
        }
    }

    @Test
    void bootstrapServersAreValidated() {
        assertThatThrownBy(() -> new ClfsSinkConfig(Map.of(ClfsSinkConfig.LOG_DIR, "/tmp/x",
                ClfsSinkConfig.ORIGIN_BOOTSTRAP_SERVERS, "localhost:9092,broker2")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ClfsSinkConfig.ORIGIN_BOOTSTRAP_SERVERS)
                .hasMessageContaining("'broker2' is not host:port");
        ClfsSinkConfig ok = new ClfsSinkConfig(Map.of(ClfsSinkConfig.LOG_DIR, "/tmp/x",
                ClfsSinkConfig.ORIGIN_BOOTSTRAP_SERVERS, "a:9092, b:9093",
                ClfsSinkConfig.ORIGIN_ADMIN_PREFIX + "security.protocol", "SSL"));
        assertThat(ok.originAdminConfig()).containsEntry("bootstrap.servers", "a:9092, b:9093")
                .containsEntry("security.protocol", "SSL");
    }
}

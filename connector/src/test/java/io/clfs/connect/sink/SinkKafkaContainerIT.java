package io.clfs.connect.sink;

import io.clfs.connect.testing.ConnectRest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The same round trip against a real broker in Docker (Testcontainers' KafkaContainer), with a
 * Connect worker in this JVM. Skipped cleanly where there is no Docker engine. The image can be
 * chosen with -Dkafka.image=...
 */
@Testcontainers(disabledWithoutDocker = true)
class SinkKafkaContainerIT extends SinkRoundTripContract {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(System.getProperty("kafka.image", "apache/kafka:4.1.0"));

    private static Connect<?> worker;

    @BeforeAll
    static void startWorker() {
        Map<String, String> w = new HashMap<>(EmbeddedConnect.workerProps());
        w.put("bootstrap.servers", KAFKA.getBootstrapServers());
        w.put("group.id", "clfs-it");
        w.put("config.storage.topic", "clfs-it-configs");
        w.put("offset.storage.topic", "clfs-it-offsets");
        w.put("status.storage.topic", "clfs-it-status");
        w.put("config.storage.replication.factor", "1");
        w.put("offset.storage.replication.factor", "1");
        w.put("status.storage.replication.factor", "1");
        w.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        w.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        w.put("listeners", "http://localhost:0");
        worker = new ConnectDistributed().startConnect(w);
    }

    @AfterAll
    static void stopWorker() {
        if (worker != null) {
            worker.stop();
        }
    }

    @Override
    protected String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }

    @Override
    protected ConnectRest rest() {
        return new ConnectRest(() -> worker.rest().serverUrl().toString());
    }

    @Override
    protected void createTopic(String topic, int partitions, Map<String, String> config) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(config))).all().get();
        } catch (Exception e) {
            throw new AssertionError("cannot create topic " + topic, e);
        }
    }

    @Override
    protected int tasks() {
        return 1;
    }
}

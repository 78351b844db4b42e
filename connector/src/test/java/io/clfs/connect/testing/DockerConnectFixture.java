package io.clfs.connect.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.testcontainers.kafka.KafkaContainer;

import java.util.List;
import java.util.Map;

/**
 * A real broker in Docker (Testcontainers' KafkaContainer) and one distributed Connect worker in
 * this JVM, with the same worker settings as the embedded clusters. A test class that uses it is
 * annotated {@code @Testcontainers(disabledWithoutDocker = true)}, so that it is skipped where there
 * is no Docker engine; nothing here touches Docker before {@link #start}.
 */
public final class DockerConnectFixture extends ConnectFixture {
    private KafkaContainer kafka;
    private volatile Connect<?> worker;
    private final ConnectRest rest = new ConnectRest(() -> worker.rest().serverUrl().toString());

    /**
     * The broker image: the Kafka version the project pins (the client on the class path), unless
     * {@code -Dkafka.image=...} names another.
     */
    static String image() {
        return System.getProperty("kafka.image", "apache/kafka:" + AppInfoParser.getVersion());
    }

    @Override
    public void start() {
        kafka = new KafkaContainer(image());
        kafka.start();
        String bytes = "org.apache.kafka.connect.converters.ByteArrayConverter";
        worker = new ConnectDistributed().startConnect(workerProps(Map.ofEntries(
                Map.entry("bootstrap.servers", kafka.getBootstrapServers()),
                Map.entry("group.id", "clfs-it"),
                Map.entry("config.storage.topic", "clfs-it-configs"),
                Map.entry("offset.storage.topic", "clfs-it-offsets"),
                Map.entry("status.storage.topic", "clfs-it-status"),
                Map.entry("config.storage.replication.factor", "1"),
                Map.entry("offset.storage.replication.factor", "1"),
                Map.entry("status.storage.replication.factor", "1"),
                Map.entry("key.converter", bytes),
                Map.entry("value.converter", bytes),
                Map.entry("listeners", "http://localhost:0"))));
    }

    @Override
    public void stop() {
        try {
            if (worker != null) {
                worker.stop();
            }
        } finally {
            worker = null;
            if (kafka != null) {
                kafka.stop();
                kafka = null;
            }
        }
    }

    @Override
    public String bootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public ConnectRest rest() {
        return rest;
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public void createTopic(String topic, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(TOPIC_CONFIG))).all().get();
        } catch (Exception e) {
            throw new AssertionError("cannot create topic " + topic, e);
        }
    }
}

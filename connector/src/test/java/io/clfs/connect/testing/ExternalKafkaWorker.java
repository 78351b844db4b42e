package io.clfs.connect.testing;

import io.clfs.connect.sink.EmbeddedConnect;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A distributed Connect worker in this JVM against a Kafka that runs elsewhere (Testcontainers'
 * KafkaContainer), with the same worker settings as the embedded clusters.
 */
public final class ExternalKafkaWorker {
    private ExternalKafkaWorker() {
    }

    /**
     * The broker image: the Kafka version the project pins (the client on the class path), unless
     * {@code -Dkafka.image=...} names another.
     */
    public static String image() {
        return System.getProperty("kafka.image", "apache/kafka:" + AppInfoParser.getVersion());
    }

    public static Connect<?> start(String bootstrapServers) {
        Map<String, String> w = new HashMap<>(EmbeddedConnect.workerProps());
        w.put("bootstrap.servers", bootstrapServers);
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
        return new ConnectDistributed().startConnect(w);
    }

    public static ConnectRest rest(Connect<?> worker) {
        return new ConnectRest(() -> worker.rest().serverUrl().toString());
    }

    public static void createTopic(String bootstrapServers, String topic, int partitions, Map<String, String> config) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(config))).all().get();
        } catch (Exception e) {
            throw new AssertionError("cannot create topic " + topic, e);
        }
    }
}

package io.clfs.connect.sink;

import io.clfs.connect.testing.ConnectRest;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Map;

/** The round trip on an in-process KRaft broker and three Connect workers. */
class SinkRoundTripIT extends SinkRoundTripContract {
    private static EmbeddedConnectCluster connect;

    @BeforeAll
    static void startCluster() {
        connect = EmbeddedConnect.start("clfs-roundtrip", 3);
    }

    @AfterAll
    static void stopCluster() {
        if (connect != null) {
            connect.stop();
        }
    }

    @Override
    protected String bootstrapServers() {
        return connect.kafka().bootstrapServers();
    }

    @Override
    protected ConnectRest rest() {
        return EmbeddedConnect.rest(connect);
    }

    @Override
    protected void createTopic(String topic, int partitions, Map<String, String> config) {
        connect.kafka().createTopic(topic, partitions, 1, config);
    }

    @Override
    protected int tasks() {
        return 3;
    }
}

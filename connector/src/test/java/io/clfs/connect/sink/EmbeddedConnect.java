package io.clfs.connect.sink;

import io.clfs.connect.testing.ConnectRest;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

import java.util.HashMap;
import java.util.Map;

/** EmbeddedConnectCluster set up as shared/design/testing-with-kafka.md says. */
public final class EmbeddedConnect {
    private EmbeddedConnect() {
    }

    public static Map<String, String> workerProps() {
        Map<String, String> w = new HashMap<>();
        // Service loading finds the connectors through META-INF/services: no class-path scan (+3 s, +800 MB).
        w.put("plugin.discovery", "service_load");
        w.put("heartbeat.interval.ms", "500");
        // preCommit (fsync + commit) every second, so that tests see progress quickly.
        w.put("offset.flush.interval.ms", "1000");
        // A worker that leaves gets its tasks reassigned after 2 s, not the default 5 minutes.
        w.put("scheduled.rebalance.max.delay.ms", "2000");
        return w;
    }

    public static EmbeddedConnectCluster start(String name, int workers) {
        EmbeddedConnectCluster c = new EmbeddedConnectCluster.Builder().name(name).numWorkers(workers).numBrokers(1)
                .workerProps(workerProps()).build();
        c.start();
        return c;
    }

    /**
     * A topic that keeps its records: the sample records carry fixed timestamps from 2023, which
     * the broker's default 7-day retention would delete while a test runs.
     */
    public static void createTopic(EmbeddedConnectCluster c, String topic, int partitions) {
        c.kafka().createTopic(topic, partitions, 1, TOPIC_CONFIG);
    }

    public static final Map<String, String> TOPIC_CONFIG = Map.of("retention.ms", "-1", "max.message.bytes",
            Integer.toString(4 << 20));

    public static ConnectRest rest(EmbeddedConnectCluster c) {
        return new ConnectRest(() -> c.endpointForResource(""));
    }
}

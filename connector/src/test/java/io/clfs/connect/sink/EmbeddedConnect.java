package io.clfs.connect.sink;

import io.clfs.connect.testing.ConnectRest;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

import java.util.HashMap;
import java.util.Map;

/** EmbeddedConnectCluster set up as shared/design/testing-with-kafka.md says. */
final class EmbeddedConnect {
    private EmbeddedConnect() {
    }

    static Map<String, String> workerProps() {
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

    static EmbeddedConnectCluster start(String name, int workers) {
        EmbeddedConnectCluster c = new EmbeddedConnectCluster.Builder().name(name).numWorkers(workers).numBrokers(1)
                .workerProps(workerProps()).build();
        c.start();
        return c;
    }

    static ConnectRest rest(EmbeddedConnectCluster c) {
        return new ConnectRest(() -> c.endpointForResource(""));
    }
}

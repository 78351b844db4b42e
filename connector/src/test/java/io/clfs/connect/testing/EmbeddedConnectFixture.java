package io.clfs.connect.testing;

import org.apache.kafka.common.utils.Sanitizer;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Properties;

/** An in-process KRaft broker and Connect workers (Kafka's EmbeddedConnectCluster). */
public final class EmbeddedConnectFixture extends ConnectFixture {
    private final String name;
    private final int workers;
    private final Map<String, String> extraWorkerProps;
    private final ConnectRest rest = new ConnectRest(() -> cluster().endpointForResource(""),
            EmbeddedConnectFixture::noTaskMetrics);
    private volatile EmbeddedConnectCluster cluster;

    private EmbeddedConnectFixture(String name, int workers, Map<String, String> extraWorkerProps) {
        this.name = name;
        this.workers = workers;
        this.extraWorkerProps = Map.copyOf(extraWorkerProps);
    }

    /**
     * A worker removes a task's metrics only after the task has stopped (or its graceful stop
     * timed out), and the workers run in this JVM: no task MBean left means no task still closing.
     */
    private static boolean noTaskMetrics(String connector) {
        try {
            ObjectName tasks = new ObjectName("kafka.connect:type=connector-task-metrics,connector="
                    + Sanitizer.jmxSanitize(connector) + ",*");
            return ManagementFactory.getPlatformMBeanServer().queryNames(tasks, null).isEmpty();
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(connector, e);
        }
    }

    public static EmbeddedConnectFixture of(String name, int workers) {
        return of(name, workers, Map.of());
    }

    /** With worker settings beyond the common ones (exactly-once source support, say). */
    public static EmbeddedConnectFixture of(String name, int workers, Map<String, String> extraWorkerProps) {
        return new EmbeddedConnectFixture(name, workers, extraWorkerProps);
    }

    @Override
    public void start() {
        // One broker: transactions (exactly-once source support) need their state log on it alone.
        Properties broker = new Properties();
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");
        EmbeddedConnectCluster c = new EmbeddedConnectCluster.Builder().name(name).numWorkers(workers).numBrokers(1)
                .brokerProps(broker).workerProps(workerProps(extraWorkerProps)).build();
        c.start();
        cluster = c;
    }

    @Override
    public void stop() {
        EmbeddedConnectCluster c = cluster;
        cluster = null;
        if (c != null) {
            c.stop();
        }
    }

    /** The cluster itself: to add and remove workers, or consume with it. */
    public EmbeddedConnectCluster cluster() {
        return cluster;
    }

    @Override
    public String bootstrapServers() {
        return cluster.kafka().bootstrapServers();
    }

    @Override
    public ConnectRest rest() {
        return rest;
    }

    @Override
    public int workers() {
        return workers;
    }

    @Override
    public void createTopic(String topic, int partitions) {
        cluster.kafka().createTopic(topic, partitions, 1, TOPIC_CONFIG);
    }
}

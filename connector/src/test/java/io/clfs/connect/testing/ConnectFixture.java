package io.clfs.connect.testing;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kafka broker and Connect worker(s) with the plugin, for the integration tests: started before
 * a test class and stopped after it when registered as a static {@code @RegisterExtension} field
 * (or by {@link #start} and {@link #stop}, as the demo does). Topics keep their records, and
 * producers keep one request in flight ({@link TestProducer}). Two kinds: an in-process KRaft
 * broker and workers ({@link EmbeddedConnectFixture}), and a broker in Docker with one worker in
 * this JVM ({@link DockerConnectFixture}); a contract test runs the same body on both.
 */
public abstract class ConnectFixture implements BeforeAllCallback, AfterAllCallback {
    /**
     * Topics keep their records: the sample records carry fixed timestamps from 2023, which the
     * broker's default 7-day retention would delete while a test runs. Room for 4 MiB records.
     */
    public static final Map<String, String> TOPIC_CONFIG = Map.of("retention.ms", "-1", "max.message.bytes",
            Integer.toString(4 << 20));

    /**
     * The worker settings every fixture uses (as shared/design/testing-with-kafka.md says), plus
     * {@code extra}.
     */
    protected static Map<String, String> workerProps(Map<String, String> extra) {
        Map<String, String> w = new HashMap<>();
        // Service loading finds the connectors through META-INF/services: no class-path scan (+3 s, +800 MB).
        w.put("plugin.discovery", "service_load");
        w.put("heartbeat.interval.ms", "500");
        // preCommit (fsync + commit) every second, so that tests see progress quickly.
        w.put("offset.flush.interval.ms", "1000");
        // A worker that leaves gets its tasks reassigned after 2 s, not the default 5 minutes.
        w.put("scheduled.rebalance.max.delay.ms", "2000");
        w.putAll(extra);
        return w;
    }

    /** Starts the broker and the worker(s). */
    public abstract void start();

    /** Stops what {@link #start} started; nothing when it did not start. */
    public abstract void stop();

    public abstract String bootstrapServers();

    /** Connect's REST API on a worker that is up. */
    public abstract ConnectRest rest();

    /** How many workers run: the contract tests run one task per worker. */
    public abstract int workers();

    /** Creates a topic with one replica and {@link #TOPIC_CONFIG}. */
    public abstract void createTopic(String topic, int partitions);

    public TestProducer producer() {
        return new TestProducer(bootstrapServers());
    }

    /** Produces samples {@code from} to {@code from + n} and returns each partition's end offset, every send checked. */
    public Map<TopicPartition, Long> produce(SampleRecords samples, long from, long n) {
        Map<TopicPartition, Long> ends = new HashMap<>();
        try (TestProducer producer = producer()) {
            for (long i = from; i < from + n; i += 10_000) {
                for (RecordMetadata m : producer.send(samples, i, Math.min(from + n, i + 10_000))) {
                    ends.merge(new TopicPartition(m.topic(), m.partition()), m.offset() + 1, Math::max);
                }
            }
        }
        return ends;
    }

    /** Produces {@code values} (null keys; a null value is a tombstone) to partition 0 of {@code topic}, every send checked. */
    public void produceValues(String topic, List<byte[]> values) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (byte[] v : values) {
            records.add(new ProducerRecord<>(topic, 0, null, v));
        }
        try (TestProducer p = producer()) {
            p.sendAll(records);
        }
    }

    /** The sink connector's committed offsets: what it has declared durable. */
    public Map<TopicPartition, Long> committed(String connector) {
        return Journals.committed(bootstrapServers(), connector);
    }

    /** Waits until the sink connector has committed at least {@code ends} for every partition. */
    public void awaitCommitted(String connector, Map<TopicPartition, Long> ends, Duration timeout) {
        Journals.awaitCommitted(bootstrapServers(), connector, ends, timeout);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }
}

package io.clfs.connect.sink;

import com.fasterxml.jackson.databind.JsonNode;
import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.testing.ConnectorConfigs;
import io.clfs.connect.testing.EmbeddedConnectFixture;
import io.clfs.connect.testing.Journals;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sink's behaviors on one worker: config validation through the REST endpoint, each
 * behavior.on.null.values, the dead-letter path, and a full log with 'block' and with 'fail'
 * (with the metrics that report it).
 */
class SinkBehaviorIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static final EmbeddedConnectFixture CONNECT = EmbeddedConnectFixture.of("clfs-behavior", 1);

    @TempDir
    Path logs;

    private static void produce(String topic, byte[]... values) {
        CONNECT.produceValues(topic, Arrays.asList(values));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, String> sink(String name, String topic) {
        Map<String, String> c = ConnectorConfigs.byteSink(topic, logs.resolve(name), 1);
        c.put("name", name);
        return c;
    }

    private static void awaitCommitted(String connector, String topic, long end) {
        CONNECT.awaitCommitted(connector, Map.of(new TopicPartition(topic, 0), end), WAIT);
    }

    @Test
    void validationNamesEachBadKey() {
        Map<String, String> bad = new HashMap<>(Map.of("name", "invalid", "connector.class", "ClfsSinkConnector",
                "topics", "t",
                ClfsSinkConfig.CONTAINER_SIZE, "1000",
                ClfsSinkConfig.LOG_FULL_BEHAVIOR, "drop",
                ClfsSinkConfig.NULL_VALUES, "maybe",
                ClfsSinkConfig.RETENTION_MS, "-5",
                ClfsSinkConfig.FORMAT_CONVERTER, "java.lang.String",
                ClfsSinkConfig.MIN_CONTAINERS, "8",
                ClfsSinkConfig.MAX_CONTAINERS, "4"));
        JsonNode result = CONNECT.rest().validate("ClfsSinkConnector", bad);
        Map<String, String> errors = new HashMap<>();
        for (JsonNode c : result.path("configs")) {
            JsonNode value = c.path("value");
            if (!value.path("errors").isEmpty()) {
                errors.put(value.path("name").asText(), value.path("errors").toString());
            }
        }
        assertThat(errors).containsOnlyKeys(ClfsSinkConfig.LOG_DIR, ClfsSinkConfig.CONTAINER_SIZE,
                ClfsSinkConfig.LOG_FULL_BEHAVIOR, ClfsSinkConfig.NULL_VALUES, ClfsSinkConfig.RETENTION_MS,
                ClfsSinkConfig.FORMAT_CONVERTER, ClfsSinkConfig.MAX_CONTAINERS);
        assertThat(errors.get(ClfsSinkConfig.CONTAINER_SIZE)).contains("multiple of 512");
        assertThat(errors.get(ClfsSinkConfig.LOG_FULL_BEHAVIOR)).contains("BLOCK");
        assertThat(errors.get(ClfsSinkConfig.MAX_CONTAINERS)).contains(ClfsSinkConfig.MIN_CONTAINERS);
        assertThat(result.path("error_count").asInt()).isEqualTo(7);

        Map<String, String> good = sink("valid", "t");
        assertThat(CONNECT.rest().validate("ClfsSinkConnector", good).path("error_count").asInt()).isZero();
    }

    @Test
    void nullValuesAreWrittenIgnoredOrFailTheTask() {
        String topic = "nulls";
        CONNECT.createTopic(topic, 1);
        produce(topic, bytes("a"), null, bytes("c"));
        for (String behavior : List.of("write", "ignore", "fail")) {
            Map<String, String> c = sink("nulls-" + behavior, topic);
            c.put(ClfsSinkConfig.NULL_VALUES, behavior);
            CONNECT.rest().putConnector("nulls-" + behavior, c);
        }
        awaitCommitted("nulls-write", topic, 3);
        awaitCommitted("nulls-ignore", topic, 3);
        String trace = CONNECT.rest().awaitFailedTask("nulls-fail", WAIT);
        assertThat(trace).contains("topic 'nulls' partition 0 offset 1").contains("behavior.on.null.values=fail");
        List.of("write", "ignore", "fail").forEach(b -> CONNECT.rest().deleteConnector("nulls-" + b));

        List<Envelope> written = Journals.read(Journals.dirOf(logs.resolve("nulls-write"), topic, 0));
        assertThat(written).extracting(Envelope::offset).containsExactly(0L, 1L, 2L);
        assertThat(written.get(1).value().isNull()).isTrue();
        assertThat(Journals.offsets(Journals.dirOf(logs.resolve("nulls-ignore"), topic, 0))).containsExactly(0L, 2L);
        assertThat(Journals.offsets(Journals.dirOf(logs.resolve("nulls-fail"), topic, 0))).containsExactly(0L);
    }

    @Test
    void aRecordThatCannotBeJournaledGoesToTheDeadLetterQueueOrFailsNamingIt() {
        String topic = "too-large";
        CONNECT.createTopic(topic, 1);
        produce(topic, bytes("a"), new byte[600 << 10], bytes("c")); // larger than a 512 KiB container

        Map<String, String> tolerant = sink("dlq", topic);
        tolerant.put(ClfsSinkConfig.CONTAINER_SIZE, "524288");
        tolerant.put("errors.tolerance", "all");
        tolerant.put("errors.deadletterqueue.topic.name", "clfs-dlq");
        tolerant.put("errors.deadletterqueue.topic.replication.factor", "1");
        tolerant.put("errors.deadletterqueue.context.headers.enable", "true");
        CONNECT.rest().putConnector("dlq", tolerant);
        Map<String, String> strict = sink("strict", topic);
        strict.put(ClfsSinkConfig.CONTAINER_SIZE, "524288");
        CONNECT.rest().putConnector("strict", strict);

        awaitCommitted("dlq", topic, 3);
        String trace = CONNECT.rest().awaitFailedTask("strict", WAIT);
        assertThat(trace).contains("topic 'too-large' partition 0 offset 1").contains("clfs.container.size.bytes");
        CONNECT.rest().deleteConnector("dlq");
        CONNECT.rest().deleteConnector("strict");

        assertThat(Journals.offsets(Journals.dirOf(logs.resolve("dlq"), topic, 0))).containsExactly(0L, 2L);
        ConsumerRecords<byte[], byte[]> dead = CONNECT.cluster().kafka().consume(1, WAIT.toMillis(), "clfs-dlq");
        ConsumerRecord<byte[], byte[]> r = dead.iterator().next();
        assertThat(r.value()).hasSize(600 << 10);
        assertThat(new String(r.headers().lastHeader("__connect.errors.exception.message").value(),
                StandardCharsets.UTF_8)).contains("exceeds");
    }

    private Map<String, String> smallLog(String name, String topic, String behavior) {
        Map<String, String> c = sink(name, topic);
        c.put(ClfsSinkConfig.CONTAINER_SIZE, "524288");
        c.put(ClfsSinkConfig.MAX_CONTAINERS, "2");
        c.put(ClfsSinkConfig.RESTART_INTERVAL_RECORDS, "50");
        c.put(ClfsSinkConfig.RETENTION_BYTES, "100000");
        c.put(ClfsSinkConfig.LOG_FULL_BEHAVIOR, behavior);
        c.put(ClfsSinkConfig.LOG_FULL_RETRY_MS, "200");
        return c;
    }

    private static byte[][] kilobytes(int n) {
        byte[][] values = new byte[n][];
        for (int i = 0; i < n; i++) {
            values[i] = new byte[1024];
        }
        return values;
    }

    @Test
    void aFullLogPausesThePartitionUntilTheArchiverFreesSpace() throws Exception {
        String topic = "full-block";
        CONNECT.createTopic(topic, 1);
        produce(topic, kilobytes(3000)); // ~3 MB for a 1 MB log whose archive tail only we move
        CONNECT.rest().putConnector("full-block", smallLog("full-block", topic, "block"));

        Journals.await(WAIT, () -> metric("full-block", "log-full-pauses-total") >= 1,
                () -> "the partition was never paused");
        // paused between retries (every 200 ms here), so it reads 1 most of the time
        Journals.await(WAIT, () -> metric("full-block", "partitions-paused") == 1.0, () -> "partitions-paused never 1");
        long stuck = CONNECT.committed("full-block").getOrDefault(new TopicPartition(topic, 0), 0L);
        assertThat(stuck).isLessThan(3000);
        assertThat(CONNECT.rest().running("full-block", 1)).isTrue();

        // Act as the archiver (the source connector, later): take what the base released.
        Path log = Journals.dirOf(logs.resolve("full-block"), topic, 0);
        Journals.await(Duration.ofSeconds(120), () -> {
            try (ClfsLog reader = ClfsLog.openReadOnly(log)) {
                LogStream s = reader.stream();
                if (Lsn.less(s.archiveTail(), s.baseLsn())) {
                    s.setArchiveTail(s.baseLsn());
                }
            }
            return CONNECT.committed("full-block").getOrDefault(new TopicPartition(topic, 0), 0L) >= 3000;
        }, () -> "the sink never caught up after the archiver freed space");
        assertThat(metric("full-block", "partitions-paused")).isZero();
        assertThat(metric("full-block", "records-journaled-total")).isGreaterThanOrEqualTo(3000);
        CONNECT.rest().deleteConnector("full-block");

        List<Long> readable = Journals.offsets(log);
        long first = readable.get(0);
        assertThat(readable).as("nothing dropped: the readable tail is contiguous up to the last record")
                .containsExactlyElementsOf(LongStream.range(first, 3000).boxed().toList());
    }

    @Test
    void aFullLogFailsTheTaskWithFail() {
        String topic = "full-fail";
        CONNECT.createTopic(topic, 1);
        produce(topic, kilobytes(3000));
        CONNECT.rest().putConnector("full-fail", smallLog("full-fail", topic, "fail"));
        String trace = CONNECT.rest().awaitFailedTask("full-fail", WAIT);
        assertThat(trace).contains("the log of full-fail-0 is full at offset").contains("clfs.log.full.behavior=fail")
                .contains("pinned by");
        CONNECT.rest().deleteConnector("full-fail");
    }

    /** A plugin metric of the connector's task 0, read through JMX like an operator would. */
    private static double metric(String connector, String attribute) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            List<Double> found = new ArrayList<>();
            for (ObjectName name : server.queryNames(null, null)) {
                if (!connector.equals(name.getKeyProperty("connector"))) {
                    continue;
                }
                for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
                    if (a.getName().equals(attribute)) {
                        found.add(((Number) server.getAttribute(name, attribute)).doubleValue());
                    }
                }
            }
            return found.isEmpty() ? -1 : found.get(0);
        } catch (Exception e) {
            throw new AssertionError("cannot read metric " + attribute, e);
        }
    }
}

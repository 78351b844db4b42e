package io.clfs.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogKind;
import io.clfs.log.LogPolicy;
import io.clfs.log.LogStream;
import io.clfs.tool.ClfsTool;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClfsJournalStoreTest {
    private static final String STORE = "journal";
    private static final TopicPartition ORDERS = new TopicPartition("orders", 0);
    private static final TopicPartition PAYMENTS = new TopicPartition("payments", 0);

    @TempDir
    Path tmp;

    private final List<Journaled> results = new ArrayList<>();

    /** Journals every record it is given and keeps what the store answered. */
    private static final class Journaling<K, V> implements Processor<K, V, Void, Void> {
        private final List<Journaled> results;
        private ClfsJournalStore<K, V> store;

        Journaling(List<Journaled> results) {
            this.results = results;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<K, V> record) {
            results.add(store.journal(record));
        }
    }

    private Path journalDir() {
        return tmp.resolve("journal");
    }

    private <K, V> TopologyTestDriver driver(String guarantee, Serde<K> keys, Serde<V> values) {
        Topology t = new Topology();
        t.addSource("in", keys.deserializer(), values.deserializer(), ORDERS.topic(), PAYMENTS.topic());
        t.addProcessor("journaling", () -> new Journaling<K, V>(results), "in");
        t.addStateStore(ClfsJournalStore.builder(STORE, journalDir(), keys, values)
                .withPolicy(LogPolicy.defaults().withContainerSize(LogPolicy.MIN_CONTAINER_SIZE)), "journaling");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "journal-store-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        return new TopologyTestDriver(t, p);
    }

    private TopologyTestDriver bytesDriver() {
        return driver(StreamsConfig.AT_LEAST_ONCE, Serdes.ByteArray(), Serdes.ByteArray());
    }

    private static TestInputTopic<byte[], byte[]> input(TopologyTestDriver d, TopicPartition tp) {
        return d.createInputTopic(tp.topic(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
    void journalsEveryRecordExactlyAsDeliveredOneStreamPerPartition(String guarantee) {
        try (TopologyTestDriver d = driver(guarantee, Serdes.ByteArray(), Serdes.ByteArray())) {
            TestInputTopic<byte[], byte[]> orders = input(d, ORDERS);
            RecordHeaders headers = new RecordHeaders();
            headers.add("trace", bytes("t-1"));
            headers.add("empty", null);
            headers.add("trace", bytes("t-2"));
            orders.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(bytes("k0"), bytes("v0"), headers,
                    Instant.ofEpochMilli(1_000)));
            orders.pipeInput(null, null, Instant.ofEpochMilli(2_000));
            input(d, PAYMENTS).pipeInput(bytes("p"), new byte[0], Instant.ofEpochMilli(3_000));

            assertThat(results).extracting(Journaled::duplicate).containsOnly(false);
            assertThat(results).extracting(Journaled::offset).containsExactly(0L, 1L, 0L);
            ClfsJournalStore<byte[], byte[]> store = store(d);
            List<JournalRecord> orderRecords = all(store, ORDERS);
            assertThat(orderRecords).extracting(JournalRecord::lsn)
                    .containsExactly(results.get(0).lsn(), results.get(1).lsn());
            assertThat(orderRecords.get(0).envelope())
                    .isEqualTo(JournalEnvelopes.of("orders", 0, 0, 1_000, bytes("k0"), bytes("v0"), headers));
            assertThat(orderRecords.get(1).envelope())
                    .isEqualTo(JournalEnvelopes.of("orders", 0, 1, 2_000, null, null, null));
            assertThat(all(store, PAYMENTS)).singleElement().extracting(JournalRecord::envelope)
                    .isEqualTo(JournalEnvelopes.of("payments", 0, 0, 3_000, bytes("p"), new byte[0], null));
            assertThat(store.journaledPartitions()).containsExactly(ORDERS, PAYMENTS);
            assertThat(store.read(ORDERS, results.get(1).lsn()).envelope().offset()).isEqualTo(1);
        }
        try (ClfsLog log = ClfsLog.openReadOnly(journalDir())) {
            assertThat(log.kind()).isEqualTo(LogKind.MULTIPLEXED);
            assertThat(log.streamNames()).containsExactly("orders-0", "payments-0");
            SinkRestartArea orders = SinkRestartArea.decode(log.stream("orders-0").readRestartArea().data());
            assertThat(orders.lastOffset()).isEqualTo(1);
            assertThat(log.stream("orders-0").lastDataLsn()).isEqualTo(results.get(1).lsn());
            assertThat(orders.recordsJournaled()).isEqualTo(2);
            assertThat(orders.maxTimestamp()).isEqualTo(2_000);
        }
    }

    @SuppressWarnings("unchecked")
    private static <K, V> ClfsJournalStore<K, V> store(TopologyTestDriver d) {
        return (ClfsJournalStore<K, V>) d.getStateStore(STORE);
    }

    private static List<JournalRecord> all(ClfsJournalStore<?, ?> store, TopicPartition tp) {
        List<JournalRecord> out = new ArrayList<>();
        try (JournalIterator it = store.all(tp)) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void readsBackByLsnAndByInclusiveRange() {
        try (TopologyTestDriver d = bytesDriver()) {
            TestInputTopic<byte[], byte[]> orders = input(d, ORDERS);
            for (int i = 0; i < 10; i++) {
                orders.pipeInput(bytes("k" + i), bytes("v" + i));
            }
            ClfsJournalStore<byte[], byte[]> store = store(d);
            List<JournalRecord> range = new ArrayList<>();
            try (JournalIterator it = store.range(ORDERS, results.get(3).lsn(), results.get(6).lsn())) {
                it.forEachRemaining(range::add);
            }
            assertThat(range).extracting(r -> r.envelope().offset()).containsExactly(3L, 4L, 5L, 6L);
            assertThat(store.read(ORDERS, results.get(9).lsn()).envelope().value().bytes()).isEqualTo(bytes("v9"));
            long restartLsn;
            try (ClfsLog log = ClfsLog.openReadOnly(journalDir())) {
                restartLsn = log.stream("orders-0").restartLsn();
            }
            assertThatThrownBy(() -> store.read(ORDERS, restartLsn)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("restart area");
            assertThatThrownBy(() -> store.all(new TopicPartition("nothing", 0)))
                    .hasMessageContaining("has no records of nothing-0");
        }
    }

    @Test
    void aRecordRedeliveredAfterARestartIsNotJournaledAgainAndKeepsItsLsn() {
        try (TopologyTestDriver d = bytesDriver()) {
            TestInputTopic<byte[], byte[]> orders = input(d, ORDERS);
            for (int i = 0; i < 10; i++) {
                orders.pipeInput(bytes("k" + i), bytes("v" + i));
            }
        }
        List<Journaled> first = List.copyOf(results);
        results.clear();
        // A new driver starts its input offsets at 0 again: exactly what Kafka does after a crash.
        try (TopologyTestDriver d = bytesDriver()) {
            TestInputTopic<byte[], byte[]> orders = input(d, ORDERS);
            for (int i = 0; i < 15; i++) {
                orders.pipeInput(bytes("k" + i), bytes("v" + i));
            }
            assertThat(results.subList(0, 10)).extracting(Journaled::duplicate).containsOnly(true);
            assertThat(results.subList(0, 10)).extracting(Journaled::lsn)
                    .containsExactlyElementsOf(first.stream().map(Journaled::lsn).toList());
            assertThat(results.subList(10, 15)).extracting(Journaled::duplicate).containsOnly(false);
            assertThat(all(store(d), ORDERS)).extracting(r -> r.envelope().offset())
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L);
            assertThat(metric(d, "duplicates-total")).isEqualTo(10.0);
        }
    }

    @Test
    void recoversRecordsWrittenAfterTheLastRestartAreaAsACrashedRunLeftThem() {
        // What a run killed between two commits leaves: a restart area for offsets 0..2, then 3..4.
        List<Long> lsns = new ArrayList<>();
        try (ClfsLog log = ClfsLog.create(journalDir(), LogKind.MULTIPLEXED, false, LogPolicy.defaults())) {
            LogStream s = log.stream("orders-0");
            long bytes = 0;
            for (int i = 0; i < 5; i++) {
                var parts = EnvelopeCodec.encode(
                        JournalEnvelopes.of("orders", 0, i, 0, bytes("k" + i), bytes("v" + i), null));
                bytes += EnvelopeCodec.size(parts);
                lsns.add(s.append(parts));
                if (i == 2) {
                    s.writeRestartArea(new SinkRestartArea("orders", 0, 2, 3, bytes, 0, 0).encode());
                }
            }
            log.flush();
        }
        try (TopologyTestDriver d = bytesDriver()) {
            TestInputTopic<byte[], byte[]> orders = input(d, ORDERS);
            for (int i = 0; i < 7; i++) {
                orders.pipeInput(bytes("k" + i), bytes("v" + i));
            }
            assertThat(results.subList(0, 5)).extracting(Journaled::lsn).containsExactlyElementsOf(lsns);
            assertThat(results.subList(0, 5)).extracting(Journaled::duplicate).containsOnly(true);
            assertThat(results.subList(5, 7)).extracting(Journaled::duplicate).containsOnly(false);
            assertThat(all(store(d), ORDERS)).hasSize(7);
        }
        try (ClfsLog log = ClfsLog.openReadOnly(journalDir())) {
            SinkRestartArea area = SinkRestartArea.decode(log.stream("orders-0").readRestartArea().data());
            assertThat(area.lastOffset()).isEqualTo(6);
            assertThat(area.recordsJournaled()).isEqualTo(7);
        }
    }

    /**
     * Offsets 0 and 1 of orders-0 and a restart area after offset 0, byte for byte as the store
     * wrote them before it wrote envelopes (legacy layouts "CLSJ", "CLSR").
     */
    private static final String LEGACY_RECORD_0 = "434c534a01000600" + "00000000" + "0000000000000000"
            + "e803000000000000" + "02000000" + "02000000" + "01000000" + "6f7264657273" + "6b30" + "7630"
            + "0500" + "7472616365" + "01000000" + "74";
    private static final String LEGACY_RECORD_1 = "434c534a01000600" + "00000000" + "0100000000000000"
            + "e903000000000000" + "ffffffff" + "02000000" + "00000000" + "6f7264657273" + "7631";
    /** Its last-data-LSN field (0x1000) is not where record 0 landed here: the reader drops that field. */
    private static final String LEGACY_RESTART_AREA = "434c535201000600" + "00000000" + "0000000000000000"
            + "0010000000000000" + "0100000000000000" + "3e00000000000000" + "6f7264657273";

    @Test
    void aLogTheStoreWroteInTheLegacyLayoutStillReadsAndGrows() {
        List<Long> lsns = new ArrayList<>();
        try (ClfsLog log = ClfsLog.create(journalDir(), LogKind.MULTIPLEXED, false, LogPolicy.defaults())) {
            LogStream s = log.stream("orders-0");
            lsns.add(s.append(HexFormat.of().parseHex(LEGACY_RECORD_0)));
            s.writeRestartArea(ByteBuffer.wrap(HexFormat.of().parseHex(LEGACY_RESTART_AREA)));
            lsns.add(s.append(HexFormat.of().parseHex(LEGACY_RECORD_1)));
            log.flush();
        }
        try (TopologyTestDriver d = bytesDriver()) {
            TestInputTopic<byte[], byte[]> orders = input(d, ORDERS);
            for (int i = 0; i < 4; i++) {
                orders.pipeInput(bytes("k" + i), bytes("v" + i), Instant.ofEpochMilli(1_000 + i));
            }
            assertThat(results.subList(0, 2)).extracting(Journaled::lsn).containsExactlyElementsOf(lsns);
            assertThat(results.subList(0, 2)).extracting(Journaled::duplicate).containsOnly(true);
            assertThat(results.subList(2, 4)).extracting(Journaled::duplicate).containsOnly(false);
            RecordHeaders trace = new RecordHeaders();
            trace.add("trace", bytes("t"));
            assertThat(all(store(d), ORDERS)).extracting(JournalRecord::envelope).containsExactly(
                    JournalEnvelopes.of("orders", 0, 0, 1_000, bytes("k0"), bytes("v0"), trace),
                    JournalEnvelopes.of("orders", 0, 1, 1_001, null, bytes("v1"), null),
                    JournalEnvelopes.of("orders", 0, 2, 1_002, bytes("k2"), bytes("v2"), null),
                    JournalEnvelopes.of("orders", 0, 3, 1_003, bytes("k3"), bytes("v3"), null));
        }
        try (ClfsLog log = ClfsLog.openReadOnly(journalDir())) {
            SinkRestartArea area = SinkRestartArea.decode(log.stream("orders-0").readRestartArea().data());
            assertThat(area.lastOffset()).isEqualTo(3);
            assertThat(area.recordsJournaled()).isEqualTo(4);
            assertThat(area.maxTimestamp()).isEqualTo(1_003);
        }
    }

    @Test
    void clfsDumpJsonShowsTheKafkaFieldsOfEveryPartitionsRecords() throws Exception {
        try (TopologyTestDriver d = bytesDriver()) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("trace", bytes("t-1"));
            headers.add("empty", null);
            input(d, ORDERS).pipeInput(new org.apache.kafka.streams.test.TestRecord<>(bytes("k0"), bytes("v0"), headers,
                    Instant.ofEpochMilli(1_000)));
            input(d, PAYMENTS).pipeInput(null, bytes("p"), Instant.ofEpochMilli(2_000));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = ClfsTool.commandLine(InputStream.nullInputStream(), new PrintWriter(out), new PrintWriter(err))
                .execute("dump", journalDir().toString(), "--json", "--type", "data");
        assertThat(exit).as("clfs dump: %s", err).isZero();
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> byStream = new HashMap<>();
        for (String line : out.toString().lines().toList()) {
            JsonNode record = json.readTree(line);
            byStream.put(record.get("stream").asText(), record);
        }
        assertThat(byStream).containsOnlyKeys("orders-0", "payments-0");
        JsonNode order = byStream.get("orders-0");
        assertThat(order.get("topic").asText()).isEqualTo("orders");
        assertThat(order.get("partition").asInt()).isZero();
        assertThat(order.get("offset").asLong()).isZero();
        assertThat(order.get("timestamp").asLong()).isEqualTo(1_000);
        assertThat(order.get("key").binaryValue()).isEqualTo(bytes("k0"));
        assertThat(order.get("value").binaryValue()).isEqualTo(bytes("v0"));
        assertThat(order.get("headers")).hasSize(2);
        assertThat(order.get("headers").get(0).get("key").asText()).isEqualTo("trace");
        assertThat(order.get("headers").get(0).get("value").binaryValue()).isEqualTo(bytes("t-1"));
        assertThat(order.get("headers").get(1).get("key").asText()).isEqualTo("empty");
        assertThat(order.get("headers").get(1).get("value").isNull()).isTrue();
        JsonNode payment = byStream.get("payments-0");
        assertThat(payment.get("topic").asText()).isEqualTo("payments");
        assertThat(payment.get("key").isNull()).isTrue();
        assertThat(payment.get("value").binaryValue()).isEqualTo(bytes("p"));
    }

    @Test
    void metricsCountDurableRecordsAndBytesAndShowLsns() {
        try (TopologyTestDriver d = bytesDriver()) {
            TestInputTopic<byte[], byte[]> orders = input(d, ORDERS);
            for (int i = 0; i < 4; i++) {
                orders.pipeInput(bytes("k" + i), bytes("value-" + i));
            }
            assertThat(metric(d, "records-total")).isEqualTo(4.0);
            assertThat(metric(d, "bytes-total")).isGreaterThan(4.0 * "value-0".length());
            assertThat(metric(d, "flush-total")).isEqualTo(4.0); // the driver commits after every record
            assertThat(metric(d, "flush-latency-max")).isGreaterThanOrEqualTo(0.0);
            assertThat((long) metric(d, "last-lsn")).isEqualTo(results.get(3).lsn());
            assertThat((long) metric(d, "restart-lsn")).isGreaterThan(results.get(3).lsn());
            MetricName name = metricName(d, "records-total");
            assertThat(name.tags()).containsEntry("clfs-journal-id", STORE).containsEntry("task-id", "0_0")
                    .containsKey("thread-id");
        }
    }

    private static double metric(TopologyTestDriver d, String name) {
        return ((Number) d.metrics().get(metricName(d, name)).metricValue()).doubleValue();
    }

    private static MetricName metricName(TopologyTestDriver d, String name) {
        for (Map.Entry<MetricName, ? extends Metric> e : d.metrics().entrySet()) {
            if (e.getKey().group().equals(JournalMetrics.GROUP) && e.getKey().name().equals(name)) {
                return e.getKey();
            }
        }
        throw new AssertionError("no metric " + name + " in group " + JournalMetrics.GROUP);
    }

    @Test
    void typedStoresJournalTheSerializedBytes() {
        try (TopologyTestDriver d = driver(StreamsConfig.AT_LEAST_ONCE, Serdes.String(), Serdes.Long())) {
            d.createInputTopic("orders", new StringSerializer(),
                    new org.apache.kafka.common.serialization.LongSerializer()).pipeInput("key", 42L);
            Envelope e = all(store(d), ORDERS).get(0).envelope();
            assertThat(new StringDeserializer().deserialize("orders", e.key().bytes())).isEqualTo("key");
            assertThat(Serdes.Long().deserializer().deserialize("orders", e.value().bytes())).isEqualTo(42L);
        }
    }

    @Test
    void journalingOutsideProcessFailsWithAClearMessage() {
        Topology t = new Topology();
        t.addSource("in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), "orders");
        t.addProcessor("punctuating", () -> new Processor<byte[], byte[], Void, Void>() {
            @Override
            public void init(ProcessorContext<Void, Void> context) {
                ClfsJournalStore<byte[], byte[]> store = context.getStateStore(STORE);
                context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME,
                        now -> store.journal(new Record<>(bytes("k"), bytes("v"), now)));
            }

            @Override
            public void process(Record<byte[], byte[]> record) {
            }
        }, "in");
        t.addStateStore(ClfsJournalStore.builder(STORE, journalDir(), Serdes.ByteArray(), Serdes.ByteArray()),
                "punctuating");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "journal-store-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString());
        try (TopologyTestDriver d = new TopologyTestDriver(t, p)) {
            assertThatThrownBy(() -> d.advanceWallClockTime(Duration.ofSeconds(2)))
                    .isInstanceOf(StreamsException.class)
                    .hasStackTraceContaining("call journal() from Processor#process, not from a punctuator");
        }
    }

    @Test
    void theBuilderRefusesACacheAndAChangelog() {
        ClfsJournalStoreBuilder<byte[], byte[]> b =
                ClfsJournalStore.builder(STORE, journalDir(), Serdes.ByteArray(), Serdes.ByteArray());
        assertThat(b.loggingEnabled()).isFalse();
        assertThatThrownBy(b::withCachingEnabled).hasMessageContaining("has no cache");
        assertThatThrownBy(() -> b.withLoggingEnabled(Map.of())).hasMessageContaining("has no changelog");
        assertThat(b.withCachingDisabled().withLoggingDisabled().build().name()).isEqualTo(STORE);
    }

    @Test
    void aDedicatedLogInTheDirectoryIsRefused() {
        ClfsLog.create(journalDir(), LogKind.DEDICATED, false, LogPolicy.defaults()).close();
        assertThatThrownBy(this::bytesDriver).hasStackTraceContaining("needs a multiplexed log");
    }
}

package io.clfs.streams.app;

import io.clfs.connect.envelope.EnvelopeHeader;
import io.clfs.connect.envelope.Payload;
import io.clfs.log.Lsn;
import io.clfs.streams.ClfsJournalStore;
import io.clfs.streams.JournalIterator;
import io.clfs.streams.JournalRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class JournalTopologyTest {
    @TempDir
    Path tmp;

    private TopologyTestDriver driver() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(AppConfig.TOPOLOGY, "journal");
        settings.put(AppConfig.JOURNAL_TOPICS, "orders,payments");
        settings.put(AppConfig.JOURNAL_DIR, tmp.resolve("journal").toString());
        settings.put(AppConfig.JOURNAL_RECEIPT_TOPIC, "receipts");
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "journal-topology-test");
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        settings.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString());
        AppConfig config = AppConfig.of(settings);
        Properties p = config.streamsProperties();
        return new TopologyTestDriver(ClfsStreamsApp.topology(config), p);
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String receipt(long lsn, String topic, int partition, long offset) {
        return "{\"lsn\":\"" + Lsn.toString(lsn) + "\",\"topic\":\"" + topic + "\",\"partition\":" + partition
                + ",\"offset\":" + offset + "}";
    }

    @Test
    void everyInputRecordIsJournaledAndGetsAReceiptWithItsKeyLsnAndOrigin() {
        try (TopologyTestDriver d = driver()) {
            TestInputTopic<byte[], byte[]> orders = d.createInputTopic("orders", new ByteArraySerializer(),
                    new ByteArraySerializer());
            RecordHeaders headers = new RecordHeaders();
            headers.add("h", bytes("x"));
            orders.pipeInput(new TestRecord<>(bytes("k1"), bytes("v1"), headers, Instant.ofEpochMilli(10)));
            orders.pipeInput(new TestRecord<>(null, null, null, Instant.ofEpochMilli(20)));
            d.createInputTopic("payments", new ByteArraySerializer(), new ByteArraySerializer())
                    .pipeInput(bytes("p1"), bytes("pv"), Instant.ofEpochMilli(30));

            List<JournalRecord> journal = journal(d, new TopicPartition("orders", 0));
            assertThat(journal).hasSize(2);
            assertThat(journal.get(0).envelope().headers()).last()
                    .isEqualTo(new EnvelopeHeader("h", Payload.bytes(bytes("x"))));
            List<TestRecord<byte[], byte[]>> receipts = receipts(d);
            assertThat(receipts).hasSize(3);
            assertThat(receipts.get(0).key()).isEqualTo(bytes("k1"));
            assertThat(new String(receipts.get(0).value(), StandardCharsets.UTF_8))
                    .isEqualTo(receipt(journal.get(0).lsn(), "orders", 0, 0));
            assertThat(receipts.get(0).timestamp()).isEqualTo(10);
            assertThat(receipts.get(0).headers().toArray()).isEmpty();
            assertThat(receipts.get(1).key()).isNull();
            assertThat(new String(receipts.get(1).value(), StandardCharsets.UTF_8))
                    .isEqualTo(receipt(journal.get(1).lsn(), "orders", 0, 1));
            assertThat(new String(receipts.get(2).value(), StandardCharsets.UTF_8))
                    .contains("\"topic\":\"payments\",\"partition\":0,\"offset\":0");
        }
    }

    @Test
    void aRedeliveredRecordGetsTheSameReceiptAndIsNotJournaledAgain() {
        List<TestRecord<byte[], byte[]>> first;
        try (TopologyTestDriver d = driver()) {
            TestInputTopic<byte[], byte[]> orders = d.createInputTopic("orders", new ByteArraySerializer(),
                    new ByteArraySerializer());
            orders.pipeInput(bytes("a"), bytes("1"));
            orders.pipeInput(bytes("b"), bytes("2"));
            first = receipts(d);
        }
        try (TopologyTestDriver d = driver()) {
            TestInputTopic<byte[], byte[]> orders = d.createInputTopic("orders", new ByteArraySerializer(),
                    new ByteArraySerializer());
            orders.pipeInput(bytes("a"), bytes("1"));
            orders.pipeInput(bytes("b"), bytes("2"));
            orders.pipeInput(bytes("c"), bytes("3"));
            List<TestRecord<byte[], byte[]>> again = receipts(d);
            assertThat(again.subList(0, 2)).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactlyElementsOf(first.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8))
                            .toList());
            assertThat(journal(d, new TopicPartition("orders", 0))).extracting(r -> r.envelope().offset())
                    .containsExactly(0L, 1L, 2L);
        }
    }

    private static List<TestRecord<byte[], byte[]>> receipts(TopologyTestDriver d) {
        TestOutputTopic<byte[], byte[]> out = d.createOutputTopic("receipts", new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        return out.readRecordsToList();
    }

    private static List<JournalRecord> journal(TopologyTestDriver d, TopicPartition tp) {
        @SuppressWarnings("unchecked")
        ClfsJournalStore<byte[], byte[]> store = (ClfsJournalStore<byte[], byte[]>) d.getStateStore("clfs-journal");
        List<JournalRecord> out = new ArrayList<>();
        try (JournalIterator it = store.all(tp)) {
            it.forEachRemaining(out::add);
        }
        return out;
    }
}

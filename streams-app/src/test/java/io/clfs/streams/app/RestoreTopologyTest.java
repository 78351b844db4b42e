package io.clfs.streams.app;

import io.clfs.log.Lsn;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestoreTopologyTest {
    @TempDir
    Path tmp;

    private TopologyTestDriver driver(Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(AppConfig.TOPOLOGY, "restore");
        settings.put(AppConfig.RESTORE_TOPICS, "replay");
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "restore-topology-test");
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        settings.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString());
        settings.putAll(extra);
        AppConfig config = AppConfig.of(settings);
        return new TopologyTestDriver(ClfsStreamsApp.topology(config), config.streamsProperties());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A record as ClfsSourceConnector replays it: the original headers plus the clfs.* ones. */
    private static TestRecord<byte[], byte[]> replayed(String topic, int partition, long lsn, long offset, byte[] key,
                                                       byte[] value, Headers original, long timestamp) {
        RecordHeaders h = new RecordHeaders();
        original.forEach(h::add);
        h.add("clfs.lsn", bytes(Lsn.toString(lsn)));
        h.add("clfs.origin.topic", bytes(topic));
        h.add("clfs.origin.partition", bytes(Integer.toString(partition)));
        h.add("clfs.origin.offset", bytes(Long.toString(offset)));
        return new TestRecord<>(key, value, h, Instant.ofEpochMilli(timestamp));
    }

    private static TestInputTopic<byte[], byte[]> replay(TopologyTestDriver d) {
        return d.createInputTopic("replay", new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static List<TestRecord<byte[], byte[]>> origin(TopologyTestDriver d, String topic) {
        return d.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList();
    }

    @Test
    void eachRecordGoesBackToItsOriginTopicByteIdenticalWithItsClfsHeaders() {
        try (TopologyTestDriver d = driver(Map.of())) {
            RecordHeaders original = new RecordHeaders();
            original.add("trace", bytes("abc"));
            original.add("nothing", null);
            original.add("trace", bytes("def"));
            byte[] binary = {0, (byte) 0xff, 10, 13};
            replay(d).pipeInput(replayed("orders", 0, 0x1_0000_0200L, 7, bytes("k"), binary, original, 1_234));
            replay(d).pipeInput(replayed("payments", 0, 0x1_0000_0200L, 3, null, null, new RecordHeaders(), 99));

            List<TestRecord<byte[], byte[]>> orders = origin(d, "orders");
            assertThat(orders).hasSize(1);
            assertThat(orders.get(0).key()).isEqualTo(bytes("k"));
            assertThat(orders.get(0).value()).isEqualTo(binary);
            assertThat(orders.get(0).timestamp()).isEqualTo(1_234);
            Header[] headers = orders.get(0).headers().toArray();
            // clfs.origin.offset stays, so that clfs offsets translate can move a group onto the restored records.
            assertThat(headers).extracting(Header::key).containsExactly("trace", "nothing", "trace", "clfs.lsn",
                    "clfs.origin.topic", "clfs.origin.partition", "clfs.origin.offset");
            assertThat(headers).extracting(Header::value).containsExactly(bytes("abc"), null, bytes("def"),
                    bytes(Lsn.toString(0x1_0000_0200L)), bytes("orders"), bytes("0"), bytes("7"));
            List<TestRecord<byte[], byte[]>> payments = origin(d, "payments");
            assertThat(payments).singleElement().satisfies(r -> {
                assertThat(r.key()).isNull();
                assertThat(r.value()).isNull();
                assertThat(r.headers().lastHeader("clfs.origin.offset").value()).isEqualTo(bytes("3"));
                assertThat(r.headers().toArray()).hasSize(4);
                assertThat(r.timestamp()).isEqualTo(99);
            });
        }
    }

    @Test
    void aReplayThatRanTwiceIsRestoredOnceWhileEqualLsnsOfOtherOriginsAreKept() {
        try (TopologyTestDriver d = driver(Map.of())) {
            for (int run = 0; run < 2; run++) {
                for (int i = 0; i < 5; i++) {
                    replay(d).pipeInput(replayed("orders", 0, 0x1_0000_0200L + 64L * i, i, bytes("k" + i),
                            bytes("v" + i), new RecordHeaders(), i));
                }
            }
            // The same LSN in the log of another origin partition is another record.
            replay(d).pipeInput(replayed("orders", 1, 0x1_0000_0200L, 0, bytes("other"), bytes("x"),
                    new RecordHeaders(), 0));
            assertThat(origin(d, "orders")).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactly("v0", "v1", "v2", "v3", "v4", "x");
        }
    }

    @Test
    void aRecordWithoutReplayHeadersStopsProcessingWithAClearMessage() {
        try (TopologyTestDriver d = driver(Map.of())) {
            assertThatThrownBy(() -> replay(d).pipeInput(bytes("k"), bytes("v")))
                    .isInstanceOf(StreamsException.class)
                    .hasStackTraceContaining("replay record replay-0@0: header clfs.lsn is missing");
            RecordHeaders bad = new RecordHeaders();
            bad.add("clfs.lsn", bytes("12"));
            bad.add("clfs.origin.topic", bytes("orders"));
            assertThatThrownBy(() -> replay(d).pipeInput(new TestRecord<>(bytes("k"), bytes("v"), bad)))
                    .hasStackTraceContaining("not an LSN: '12' (expected cccccccc:oooooooo");
        }
    }

    @Test
    void withTheStreamsProcessingExceptionHandlerInvalidRecordsAreSkipped() {
        try (TopologyTestDriver d = driver(Map.of(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueProcessingExceptionHandler.class.getName()))) {
            replay(d).pipeInput(bytes("k"), bytes("v"));
            replay(d).pipeInput(replayed("orders", 0, 0x1_0000_0200L, 0, bytes("k"), bytes("v"), new RecordHeaders(), 0));
            assertThat(origin(d, "orders")).hasSize(1);
        }
    }

    @Test
    void theOriginPartitionIsKeptWhenItExistsElseDefaultPartitioningDecides() {
        OriginPartitioner p = new OriginPartitioner();
        assertThat(p.partitions("t", new OriginKey("t", 2, null), null, 3)).contains(Set.of(2));
        assertThat(p.partitions("t", new OriginKey("t", 3, null), null, 3)).isEqualTo(Optional.empty());
        assertThat(p.partitions("t", new OriginKey("t", -1, null), null, 3)).isEqualTo(Optional.empty());
    }
}

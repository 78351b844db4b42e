package io.clfs.tool;

import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.connect.envelope.EnvelopeHeader;
import io.clfs.connect.envelope.LegacyStreamsBytes;
import io.clfs.connect.envelope.Payload;
import io.clfs.connect.envelope.TimestampKind;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogKind;
import io.clfs.log.LogPolicy;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.clfs.tool.ToolRun.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code clfs dump --json} shows the Kafka fields of records the sink and the Streams journal journaled. */
class ClfsToolEnvelopeDumpTest {
    @TempDir
    Path tmp;

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void envelopeFieldsAppearBesideTheRawBytes() {
        Path dir = tmp.resolve("orders-0");
        Envelope e = new Envelope("orders", 0, 41, 1_700_000_000_000L, TimestampKind.CREATE_TIME,
                Payload.bytes("k".getBytes(StandardCharsets.UTF_8)), Payload.NULL,
                List.of(new EnvelopeHeader("h", Payload.bytes("1".getBytes(StandardCharsets.UTF_8))),
                        new EnvelopeHeader("h", Payload.NULL)));
        long envelopeLsn;
        long plainLsn;
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, true,
                LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096))) {
            LogStream s = log.stream();
            envelopeLsn = s.append(EnvelopeCodec.encodeToArray(e));
            plainLsn = s.append("not an envelope".getBytes(StandardCharsets.UTF_8));
            log.flush();
        }
        List<Map<String, Object>> lines = JsonTree.objects(List.of(ok("dump", dir.toString(), "--json").split("\n")));
        assertThat(lines).hasSize(2);
        Map<String, Object> first = lines.get(0);
        assertThat(first).containsEntry("lsn", Lsn.toString(envelopeLsn)).containsEntry("topic", "orders")
                .containsEntry("partition", 0L).containsEntry("offset", 41L)
                .containsEntry("timestamp", 1_700_000_000_000L).containsEntry("timestampType", "CREATE_TIME")
                .containsEntry("key", b64("k")).containsEntry("keyEncoding", "bytes")
                .containsEntry("value", null).containsEntry("valueEncoding", "null");
        assertThat(first.get("headers")).isEqualTo(List.of(
                Map.of("key", "h", "value", b64("1"), "valueEncoding", "bytes"),
                ClfsToolTest.map("key", "h", "value", null, "valueEncoding", "null")));
        assertThat(lines.get(1)).containsEntry("lsn", Lsn.toString(plainLsn)).doesNotContainKey("topic");
    }

    /** A Streams journal log: multiplexed, one stream per input partition, old records in the legacy layout. */
    @Test
    void streamsJournalRecordsOfEveryStreamShowTheirFieldsInBothLayouts() {
        Path dir = tmp.resolve("journal");
        try (ClfsLog log = ClfsLog.create(dir, LogKind.MULTIPLEXED, false,
                LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096))) {
            log.stream("orders-0").append(LegacyStreamsBytes.record("orders", 0, 5, 1_000,
                    "k".getBytes(StandardCharsets.UTF_8), null,
                    new LegacyStreamsBytes.Header("h", "1".getBytes(StandardCharsets.UTF_8))));
            log.stream("payments-3").append(EnvelopeCodec.encodeToArray(new Envelope("payments", 3, 6, 2_000,
                    TimestampKind.CREATE_TIME, Payload.NULL, Payload.bytes("v".getBytes(StandardCharsets.UTF_8)),
                    List.of())));
            log.flush();
        }
        List<Map<String, Object>> lines = JsonTree.objects(List.of(ok("dump", dir.toString(), "--json").split("\n")));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).containsEntry("stream", "orders-0").containsEntry("topic", "orders")
                .containsEntry("partition", 0L).containsEntry("offset", 5L).containsEntry("timestamp", 1_000L)
                .containsEntry("key", b64("k")).containsEntry("keyEncoding", "bytes")
                .containsEntry("value", null).containsEntry("valueEncoding", "null")
                .containsEntry("headers", List.of(Map.of("key", "h", "value", b64("1"), "valueEncoding", "bytes")));
        assertThat(lines.get(1)).containsEntry("stream", "payments-3").containsEntry("topic", "payments")
                .containsEntry("partition", 3L).containsEntry("offset", 6L).containsEntry("key", null)
                .containsEntry("value", b64("v")).containsEntry("headers", List.of());
    }
}

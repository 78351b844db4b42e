package io.clfs.tool;

import io.clfs.connect.envelope.TopicOrigin;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.clfs.tool.ToolRun.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code clfs info} and {@code clfs restore-check} show the origin topic a sink log recorded. */
class ClfsToolOriginTest {
    private static final long[] STAMPS = {1_000, 2_000, 3_000, 4_000};
    private static final TopicOrigin ORIGIN = new TopicOrigin(Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ"), 6, 2_000_000,
            -1, 1L << 30, "compact,delete");

    @TempDir
    Path tmp;

    @Test
    void infoShowsTheRecordedOriginAsTextAndJson() {
        Path dir = tmp.resolve("orders-2");
        SinkStyleLog.write(dir, "orders", 2, STAMPS, 2, 8, ORIGIN);
        assertThat(ok("info", dir.toString()).lines().toList()).containsSubsequence("originTopic orders",
                "originTopicId AAAAAAAAAAAAAAAAAAAAAQ", "originPartitions 6", "originMaxMessageBytes 2000000",
                "originRetentionMs -1", "originRetentionBytes 1073741824", "originCleanupPolicy compact,delete");
        Map<String, Object> info = JsonTree.object(ok("info", dir.toString(), "--json"));
        assertThat(info.get("origin")).isEqualTo(Map.of("topic", "orders", "topicId", "AAAAAAAAAAAAAAAAAAAAAQ",
                "partitions", 6L, "maxMessageBytes", 2_000_000L, "retentionMs", -1L, "retentionBytes", 1L << 30,
                "cleanupPolicy", "compact,delete"));
    }

    @Test
    void withoutARecordedOriginInfoSaysNothingAndJsonHasNull() {
        Path dir = tmp.resolve("orders-0");
        SinkStyleLog.write(dir, "orders", 0, STAMPS, 2, 8);
        assertThat(ok("info", dir.toString())).doesNotContain("origin");
        assertThat(JsonTree.object(ok("info", dir.toString(), "--json"))).containsEntry("origin", null);
    }

    @Test
    void restoreCheckShowsTheRecordedOriginUnderItsPartition() {
        SinkStyleLog.write(tmp.resolve("orders-0"), "orders", 0, STAMPS, 2, 8, ORIGIN);
        SinkStyleLog.write(tmp.resolve("orders-1"), "orders", 1, STAMPS, 2, 8);
        List<String> lines = ok("restore-check", tmp.resolve("orders-0").toString(),
                tmp.resolve("orders-1").toString()).lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("orders-0 records=4 ");
        assertThat(lines.get(1)).isEqualTo("  origin topicId=AAAAAAAAAAAAAAAAAAAAAQ partitions=6"
                + " max.message.bytes=2000000 retention.ms=-1 retention.bytes=1073741824 cleanup.policy=compact,delete");
        assertThat(lines.get(2)).startsWith("orders-1 records=4 ");
        assertThat(lines.get(3)).startsWith("total records=8 ");
    }
}

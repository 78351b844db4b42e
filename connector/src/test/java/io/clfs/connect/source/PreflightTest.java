package io.clfs.connect.source;

import io.clfs.log.Lsn;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks before the first record, and where records go when the target has fewer partitions. */
class PreflightTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final long DAY = 86_400_000L;

    private static RangeSurvey survey(int partition, long bytes, long largest, long oldest, long nullKeys) {
        return new RangeSurvey("orders", partition, 10, bytes, largest, Lsn.of(1, 0x200), oldest, oldest + 1000,
                nullKeys);
    }

    @Test
    void aTargetThatFitsPasses() {
        TargetTopic t = new TargetTopic("orders-restored", 4, 1 << 20, -1, -1, false);
        assertThat(Preflight.problems(t, "orders", 4, ClfsSourceConfig.PartitionMapping.NONE,
                List.of(survey(0, 5000, 900, NOW - 30 * DAY, 3)), NOW)).isEmpty();
    }

    @Test
    void eachMismatchIsNamedWithItsFix() {
        TargetTopic t = new TargetTopic("orders-restored", 2, 500, 7 * DAY, 1000, true);
        List<String> problems = Preflight.problems(t, "orders", 4, ClfsSourceConfig.PartitionMapping.NONE,
                List.of(survey(0, 5000, 900, NOW - 30 * DAY, 3)), NOW);
        assertThat(problems).hasSize(5);
        assertThat(problems).anyMatch(p -> p.contains("orders-restored has 2 partition(s), fewer than the 4 of origin"
                + " topic orders") && p.contains("clfs.replay.partition.mapping=hash or modulo"));
        assertThat(problems).anyMatch(p -> p.contains("max.message.bytes=500") && p.contains("900 bytes"));
        assertThat(problems).anyMatch(p -> p.contains("retention.ms=" + 7 * DAY) && p.contains("retention.ms=-1"));
        assertThat(problems).anyMatch(p -> p.contains("retention.bytes=1000") && p.contains("orders-0"));
        assertThat(problems).anyMatch(p -> p.contains("cleanup.policy=compact") && p.contains("3 of them"));
        // A chosen mapping accepts fewer partitions.
        assertThat(Preflight.problems(t, "orders", 4, ClfsSourceConfig.PartitionMapping.HASH, List.of(), NOW))
                .isEmpty();
    }

    @Test
    void mappedPartitionsFollowTheDefaultPartitionerOrTheModulo() {
        PartitionMapper hash = new PartitionMapper(true, ClfsSourceConfig.PartitionMapping.HASH, Map.of("r", 3));
        PartitionMapper modulo = new PartitionMapper(true, ClfsSourceConfig.PartitionMapping.MODULO, Map.of("r", 3));
        for (int i = 0; i < 50; i++) {
            byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
            assertThat(hash.partition("r", 5, key)).isEqualTo(BuiltInPartitioner.partitionForKey(key, 3));
        }
        assertThat(hash.partition("r", 5, null)).isEqualTo(2);
        assertThat(modulo.partition("r", 5, "k".getBytes(StandardCharsets.UTF_8))).isEqualTo(2);
        assertThat(hash.partition("other", 5, null)).isEqualTo(5); // a target with enough partitions
        assertThat(PartitionMapper.preserving(false).partition("r", 5, null)).isNull();
    }

    @Test
    void sinkLogNamesGiveTheOrigin() {
        assertThat(OriginName.parse("orders-3")).isEqualTo(new OriginName("orders", 3));
        assertThat(OriginName.parse("my-topic-12~gen-2")).isEqualTo(new OriginName("my-topic", 12));
        assertThat(OriginName.parse("journal")).isNull();
    }
}

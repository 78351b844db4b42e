package io.clfs.streams;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class StreamNamesTest {
    @Test
    void streamNamesAreTopicPartitionAndStayUniqueWithinTheLimit() {
        assertThat(StreamNames.of(new TopicPartition("orders", 3))).isEqualTo("orders-3");
        String longTopic = "é".repeat(120) + "x";
        String a = StreamNames.of(new TopicPartition(longTopic, 11));
        String b = StreamNames.of(new TopicPartition(longTopic + "y", 11));
        assertThat(a.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(StreamNames.MAX_BYTES);
        assertThat(a).startsWith("ééé").endsWith("-11").isNotEqualTo(b);
    }
}

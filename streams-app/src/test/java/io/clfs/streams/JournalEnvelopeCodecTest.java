package io.clfs.streams;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalEnvelopeCodecTest {

    private static ByteBuffer joined(ByteBuffer[] parts) {
        ByteBuffer b = ByteBuffer.allocate(JournalEnvelopeCodec.size(parts));
        for (ByteBuffer p : parts) {
            b.put(p.duplicate());
        }
        return b.flip();
    }

    private static ByteBuffer copy(ByteBuffer b) {
        return ByteBuffer.allocate(b.remaining()).put(b.duplicate()).flip();
    }

    private static JournalEnvelope sample() {
        RecordHeaders h = new RecordHeaders();
        h.add("a", "1".getBytes(StandardCharsets.UTF_8));
        h.add("nothing", null);
        h.add("a", new byte[0]);
        return new JournalEnvelope("tópico", 7, 123_456_789_012L, -1, new byte[]{0, 1, 2}, null, h);
    }

    @Test
    void roundTripsNullsEmptiesRepeatedHeadersAndUnicode() {
        JournalEnvelope e = sample();
        ByteBuffer b = joined(JournalEnvelopeCodec.encode(e));
        assertThat(JournalEnvelopeCodec.decode(b)).isEqualTo(e);
        assertThat(JournalEnvelopeCodec.offset(b)).isEqualTo(123_456_789_012L);
        JournalEnvelope empty = new JournalEnvelope("t", 0, 0, 5, null, new byte[0], null);
        assertThat(JournalEnvelopeCodec.decode(joined(JournalEnvelopeCodec.encode(empty)))).isEqualTo(empty);
    }

    @Test
    void refusesTruncatedAndForeignBytesNamingTheField() {
        ByteBuffer b = joined(JournalEnvelopeCodec.encode(sample()));
        for (int cut = 0; cut < b.remaining(); cut++) {
            ByteBuffer truncated = b.duplicate().limit(cut);
            assertThatThrownBy(() -> JournalEnvelopeCodec.decode(truncated)).isInstanceOf(JournalFormatException.class);
        }
        ByteBuffer foreign = copy(b);
        foreign.put(0, (byte) 'X');
        assertThatThrownBy(() -> JournalEnvelopeCodec.decode(foreign)).hasMessageContaining("not a journal record");
        ByteBuffer badKey = copy(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        badKey.putInt(28, 1 << 30);
        assertThatThrownBy(() -> JournalEnvelopeCodec.decode(badKey)).hasMessageContaining("bad key length at 28");
        ByteBuffer trailing = ByteBuffer.allocate(b.remaining() + 1).put(b.duplicate()).put((byte) 0).flip();
        assertThatThrownBy(() -> JournalEnvelopeCodec.decode(trailing)).hasMessageContaining("after its last header");
    }

    @Test
    void restartAreasRoundTripAndRefuseOtherBytes() {
        JournalRestartArea a = new JournalRestartArea("orders", 3, 99, 0x1_0000_0200L, 100, 12_345);
        assertThat(JournalRestartArea.decode(a.encode())).isEqualTo(a);
        ByteBuffer envelope = joined(JournalEnvelopeCodec.encode(sample()));
        assertThatThrownBy(() -> JournalRestartArea.decode(envelope)).hasMessageContaining("not a journal restart area");
    }

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

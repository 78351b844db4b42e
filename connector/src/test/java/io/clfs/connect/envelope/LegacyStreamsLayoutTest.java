package io.clfs.connect.envelope;

import io.clfs.connect.envelope.LegacyStreamsBytes.Header;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Records and restart areas the Streams journal wrote before it wrote envelopes ("CLSJ", "CLSR") still decode. */
class LegacyStreamsLayoutTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The legacy example in docs/format.md, byte for byte as the old JournalEnvelopeCodec wrote it:
     * the same record as the envelope example.
     */
    @Test
    void documentedExampleDecodesIntoTheEnvelopeExample() {
        String hex = "434c534a01000100" + "02000000" + "0700000000000000" + "e803000000000000"
                + "01000000ffffffff" + "01000000" + "746b" + "0100680100000076";
        byte[] legacy = LegacyStreamsBytes.record("t", 2, 7, 1000, utf8("k"), null, new Header("h", utf8("v")));
        assertThat(HexFormat.of().formatHex(legacy)).isEqualTo(hex);
        Envelope e = new Envelope("t", 2, 7, 1000, TimestampKind.CREATE_TIME, Payload.bytes(utf8("k")), Payload.NULL,
                List.of(new EnvelopeHeader("h", Payload.bytes(utf8("v")))));
        assertThat(EnvelopeCodec.isEnvelope(ByteBuffer.wrap(legacy))).isTrue();
        assertThat(EnvelopeCodec.decode(ByteBuffer.wrap(legacy))).isEqualTo(e);
    }

    private static byte[] sample() {
        return LegacyStreamsBytes.record("tópico", 7, 123_456_789_012L, -1, new byte[]{0, 1, 2}, null,
                new Header("a", utf8("1")), new Header("nothing", null), new Header("a", new byte[0]));
    }

    @Test
    void roundTripsNullsEmptiesRepeatedHeadersAndUnicode() {
        Envelope expected = new Envelope("tópico", 7, 123_456_789_012L, -1, TimestampKind.NO_TIMESTAMP,
                Payload.bytes(new byte[]{0, 1, 2}), Payload.NULL, List.of(
                new EnvelopeHeader("a", Payload.bytes(utf8("1"))), new EnvelopeHeader("nothing", Payload.NULL),
                new EnvelopeHeader("a", Payload.bytes(new byte[0]))));
        ByteBuffer b = ByteBuffer.wrap(sample());
        assertThat(EnvelopeCodec.decode(b)).isEqualTo(expected);
        EnvelopeCodec.Fixed f = EnvelopeCodec.decodeFixed(b);
        assertThat(f.offset()).isEqualTo(123_456_789_012L);
        assertThat(f.partition()).isEqualTo(7);
        assertThat(f.timestamp()).isEqualTo(-1);
        byte[] empty = LegacyStreamsBytes.record("t", 0, 0, 5, null, new byte[0]);
        assertThat(EnvelopeCodec.decode(ByteBuffer.wrap(empty))).isEqualTo(new Envelope("t", 0, 0, 5,
                TimestampKind.CREATE_TIME, Payload.NULL, Payload.bytes(new byte[0]), List.of()));
    }

    @Test
    void refusesTruncatedAndDamagedBytesNamingTheField() {
        byte[] good = sample();
        for (int cut = 0; cut < good.length; cut++) {
            ByteBuffer truncated = ByteBuffer.wrap(good, 0, cut);
            assertThatThrownBy(() -> EnvelopeCodec.decode(truncated)).isInstanceOf(EnvelopeFormatException.class);
        }
        byte[] version = good.clone();
        version[LegacyStreamsLayout.OFF_VERSION] = 2;
        assertThatThrownBy(() -> EnvelopeCodec.decode(ByteBuffer.wrap(version)))
                .hasMessageContaining("legacy \"CLSJ\"").hasMessageContaining("version");
        byte[] badKey = good.clone();
        ByteBuffer.wrap(badKey).order(ByteOrder.LITTLE_ENDIAN).putInt(LegacyStreamsLayout.OFF_KEY_LENGTH, 1 << 30);
        assertThatThrownBy(() -> EnvelopeCodec.decode(ByteBuffer.wrap(badKey))).hasMessageContaining("key at byte");
        byte[] badCount = good.clone();
        ByteBuffer.wrap(badCount).order(ByteOrder.LITTLE_ENDIAN).putInt(LegacyStreamsLayout.OFF_HEADER_COUNT, 1 << 20);
        assertThatThrownBy(() -> EnvelopeCodec.decode(ByteBuffer.wrap(badCount)))
                .hasMessageContaining("header count at byte 36");
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> EnvelopeCodec.decode(ByteBuffer.wrap(trailing)))
                .hasMessageContaining("after the last header");
    }

    @Test
    void restartAreasDecodeIntoTheSharedRestartAreaAndRefuseOtherBytes() {
        byte[] bytes = LegacyStreamsBytes.restartArea("orders", 3, 99, 0x1_0000_0200L, 100, 12_345);
        // What the old JournalRestartArea wrote for these fields, byte for byte.
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("434c535201000600" + "03000000" + "6300000000000000"
                + "0002000001000000" + "6400000000000000" + "3930000000000000" + "6f7264657273");
        ByteBuffer legacy = ByteBuffer.wrap(bytes);
        assertThat(SinkRestartArea.isRestartArea(legacy)).isTrue();
        assertThat(SinkRestartArea.decode(legacy))
                .isEqualTo(new SinkRestartArea("orders", 3, 99, 100, 12_345, -1, -1));
        byte[] shortTopic = LegacyStreamsBytes.restartArea("orders", 3, 99, 0, 100, 12_345);
        ByteBuffer.wrap(shortTopic).order(ByteOrder.LITTLE_ENDIAN).putShort(LegacyStreamsLayout.OFF_TOPIC_LENGTH,
                (short) 5);
        assertThatThrownBy(() -> SinkRestartArea.decode(ByteBuffer.wrap(shortTopic)))
                .isInstanceOf(EnvelopeFormatException.class).hasMessageContaining("topic length");
        assertThatThrownBy(() -> SinkRestartArea.decode(ByteBuffer.wrap(sample())))
                .isInstanceOf(EnvelopeFormatException.class).hasMessageContaining("magic");
        assertThat(EnvelopeCodec.isEnvelope(legacy)).isFalse();
    }
}

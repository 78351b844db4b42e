package io.clfs.connect.envelope;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeCodecTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The example in docs/format.md, byte for byte. */
    @Test
    void documentedExampleIsExact() {
        Envelope e = new Envelope("t", 2, 7, 1000, TimestampKind.CREATE_TIME, Payload.bytes(utf8("k")), Payload.NULL,
                List.of(new EnvelopeHeader("h", Payload.bytes(utf8("v")))));
        String hex = "434c464501012c00" + "0700000000000000" + "e803000000000000" + "0200000001000100"
                + "01000000ffffffff" + "01000000746b" + "010068010100000076";
        assertThat(HexFormat.of().formatHex(EnvelopeCodec.encodeToArray(e))).isEqualTo(hex);
        assertThat(EnvelopeCodec.decode(ByteBuffer.wrap(HexFormat.of().parseHex(hex)))).isEqualTo(e);
    }

    @Test
    void keepsNullsEmptiesAndRepeatedHeadersInOrder() {
        Envelope e = new Envelope("topic-ü", 0, Long.MAX_VALUE, -1, TimestampKind.NO_TIMESTAMP, Payload.NULL,
                Payload.bytes(new byte[0]), List.of(new EnvelopeHeader("a", Payload.bytes(utf8("1"))),
                new EnvelopeHeader("a", Payload.NULL), new EnvelopeHeader("a", Payload.converted(utf8("{}"))),
                new EnvelopeHeader("", Payload.bytes(new byte[0]))));
        byte[] bytes = EnvelopeCodec.encodeToArray(e);
        assertThat(bytes).hasSize(EnvelopeCodec.encodedSize(e));
        Envelope back = EnvelopeCodec.decode(ByteBuffer.wrap(bytes));
        assertThat(back).isEqualTo(e);
        assertThat(back.headers()).extracting(h -> h.value().encoding())
                .containsExactly(Encoding.BYTES, Encoding.NULL, Encoding.CONVERTED, Encoding.BYTES);
    }

    @Test
    void decodesFromTheBufferPositionWithoutMovingIt() {
        Envelope e = new Envelope("t", 1, 5, 9, TimestampKind.LOG_APPEND_TIME, Payload.bytes(utf8("key")),
                Payload.bytes(utf8("value")), List.of());
        byte[] bytes = EnvelopeCodec.encodeToArray(e);
        ByteBuffer shifted = ByteBuffer.allocate(bytes.length + 3).position(3).put(bytes).position(3);
        assertThat(EnvelopeCodec.isEnvelope(shifted)).isTrue();
        assertThat(EnvelopeCodec.decode(shifted)).isEqualTo(e);
        assertThat(EnvelopeCodec.decodeFixed(shifted).offset()).isEqualTo(5);
        assertThat(shifted.position()).isEqualTo(3);
    }

    @Test
    void refusesDamagedEnvelopesNamingTheField() {
        Envelope e = new Envelope("t", 1, 5, 9, TimestampKind.CREATE_TIME, Payload.bytes(utf8("key")),
                Payload.bytes(utf8("value")), List.of(new EnvelopeHeader("h", Payload.NULL)));
        byte[] good = EnvelopeCodec.encodeToArray(e);

        assertThatThrownBy(() -> EnvelopeCodec.decode(ByteBuffer.wrap(good, 0, 10)))
                .isInstanceOf(EnvelopeFormatException.class).hasMessageContaining("fixed part");
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertThatThrownBy(() -> EnvelopeCodec.decode(ByteBuffer.wrap(magic))).hasMessageContaining("magic");
        byte[] version = good.clone();
        version[EnvelopeCodec.OFF_VERSION] = 9;
        assertThatThrownBy(() -> EnvelopeCodec.decode(ByteBuffer.wrap(version))).hasMessageContaining("version");
        byte[] longValue = good.clone();
        ByteBuffer.wrap(longValue).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(EnvelopeCodec.OFF_VALUE_LENGTH,
                Integer.MAX_VALUE);
        assertThatThrownBy(() -> EnvelopeCodec.decode(ByteBuffer.wrap(longValue))).hasMessageContaining("value");
        byte[] headers = good.clone();
        ByteBuffer.wrap(headers).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(EnvelopeCodec.OFF_HEADER_COUNT,
                1_000_000);
        assertThatThrownBy(() -> EnvelopeCodec.decode(ByteBuffer.wrap(headers))).hasMessageContaining("header count");
        byte[] nullWithLength = good.clone();
        nullWithLength[EnvelopeCodec.OFF_KEY_ENCODING] = 0;
        assertThatThrownBy(() -> EnvelopeCodec.decode(ByteBuffer.wrap(nullWithLength)))
                .hasMessageContaining("key length");
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> EnvelopeCodec.decode(ByteBuffer.wrap(trailing))).hasMessageContaining("end of envelope");
    }

    @Test
    void restartAreaRoundTripsAndRefusesEnvelopes() {
        SinkRestartArea ra = new SinkRestartArea("orders", 3, 41, 42, 4200, 1_700_000_000_000L, 1_700_000_000_500L);
        ByteBuffer b = ra.encode();
        assertThat(SinkRestartArea.isRestartArea(b)).isTrue();
        assertThat(SinkRestartArea.decode(b)).isEqualTo(ra);
        byte[] envelope = EnvelopeCodec.encodeToArray(new Envelope("t", 0, 0, -1, TimestampKind.NO_TIMESTAMP, null,
                Payload.bytes(new byte[100]), null));
        assertThatThrownBy(() -> SinkRestartArea.decode(ByteBuffer.wrap(envelope)))
                .isInstanceOf(EnvelopeFormatException.class).hasMessageContaining("magic");
    }

    /** Gaps and the finished flag extend the fixed part; without them the bytes stay the 56-byte layout. */
    @Test
    void restartAreaCarriesGapsAndFinishedOnlyWhenSet() {
        SinkRestartArea plain = new SinkRestartArea("orders", 3, 41, 42, 4200, 1_700_000_000_000L, 1_700_000_000_500L);
        assertThat(plain.encode().remaining()).isEqualTo(SinkRestartArea.FIXED_LENGTH + "orders".length());
        assertThat(SinkRestartArea.decode(plain.encode()).gaps()).isZero();

        SinkRestartArea gapped = new SinkRestartArea("orders", 3, 41, 42, 4200, 1_700_000_000_000L, 1_700_000_000_500L,
                2, 17, true);
        ByteBuffer b = gapped.encode();
        assertThat(b.remaining()).isEqualTo(SinkRestartArea.EXTENDED_FIXED_LENGTH + "orders".length());
        assertThat(SinkRestartArea.decode(b)).isEqualTo(gapped);
    }

    /** The origin topic makes a version 2 restart area; one without it stays version 1, which still decodes. */
    @Test
    void restartAreaCarriesTheOriginTopicInVersionTwo() {
        TopicOrigin origin = new TopicOrigin(org.apache.kafka.common.Uuid.randomUuid(), 6, 2_000_000, -1, 1L << 40,
                "delete,compact");
        SinkRestartArea ra = new SinkRestartArea("orders", 3, 41, 42, 4200, 1_700_000_000_000L, 1_700_000_000_500L,
                0, 0, false, origin);
        ByteBuffer b = ra.encode();
        assertThat(b.remaining()).isEqualTo(SinkRestartArea.ORIGIN_FIXED_LENGTH + "orders".length());
        assertThat(b.get(SinkRestartArea.OFF_VERSION)).isEqualTo((byte) 2);
        SinkRestartArea decoded = SinkRestartArea.decode(b);
        assertThat(decoded).isEqualTo(ra);
        assertThat(decoded.origin().cleanupPolicy()).isEqualTo("compact,delete");
        assertThat(decoded.origin().compacted()).isTrue();

        ByteBuffer v1 = new SinkRestartArea("orders", 3, 41, 42, 4200, 1, 2, 1, 5, true).encode();
        assertThat(v1.get(SinkRestartArea.OFF_VERSION)).isEqualTo((byte) 1);
        assertThat(SinkRestartArea.decode(v1).origin()).isNull();

        ByteBuffer future = ra.encode();
        future.put(SinkRestartArea.OFF_VERSION, (byte) 3);
        assertThatThrownBy(() -> SinkRestartArea.decode(future)).isInstanceOf(EnvelopeFormatException.class)
                .hasMessageContaining("version");
        ByteBuffer badPolicy = ra.encode();
        badPolicy.putInt(SinkRestartArea.OFF_CLEANUP_POLICY, 4);
        assertThatThrownBy(() -> SinkRestartArea.decode(badPolicy)).isInstanceOf(EnvelopeFormatException.class)
                .hasMessageContaining("cleanup policy");
    }
}

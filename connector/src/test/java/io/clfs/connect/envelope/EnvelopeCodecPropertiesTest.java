package io.clfs.connect.envelope;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Any envelope survives encode/decode; any truncation of one is refused, never misread. */
class EnvelopeCodecPropertiesTest {

    @Property(tries = 500)
    void roundTrips(@ForAll("envelopes") Envelope e) {
        byte[] bytes = EnvelopeCodec.encodeToArray(e);
        assertThat(bytes).hasSize(EnvelopeCodec.encodedSize(e));
        assertThat(EnvelopeCodec.decode(ByteBuffer.wrap(bytes))).isEqualTo(e);
        EnvelopeCodec.Fixed f = EnvelopeCodec.decodeFixed(ByteBuffer.wrap(bytes));
        assertThat(f.offset()).isEqualTo(e.offset());
        assertThat(f.partition()).isEqualTo(e.partition());
        assertThat(f.timestamp()).isEqualTo(e.timestamp());
    }

    @Property(tries = 200)
    void truncationIsRefused(@ForAll("envelopes") Envelope e, @ForAll("fractions") double cut) {
        byte[] bytes = EnvelopeCodec.encodeToArray(e);
        int length = (int) (bytes.length * cut);
        assertThatThrownBy(() -> EnvelopeCodec.decode(ByteBuffer.wrap(bytes, 0, length)))
                .isInstanceOf(EnvelopeFormatException.class);
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.doubles().between(0, 0.999).ofScale(3);
    }

    @Provide
    Arbitrary<Envelope> envelopes() {
        Arbitrary<String> topics = Arbitraries.strings().withCharRange('!', '~').withChars('é', '中').ofMinLength(1)
                .ofMaxLength(60);
        Arbitrary<TimestampKind> kinds = Arbitraries.of(TimestampKind.class);
        Arbitrary<List<EnvelopeHeader>> headers = Combinators.combine(
                        Arbitraries.of("a", "b", "trace-id", "", "ключ"), payloads())
                .as(EnvelopeHeader::new).list().ofMaxSize(6);
        return Combinators.combine(topics, Arbitraries.integers().between(0, 100_000), Arbitraries.longs().greaterOrEqual(0),
                        Arbitraries.longs().between(-1, 4_000_000_000_000L), kinds, payloads(), payloads(), headers)
                .as(Envelope::new);
    }

    private Arbitrary<Payload> payloads() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Arbitraries.oneOf(Arbitraries.just(Payload.NULL), bytes.map(Payload::bytes),
                bytes.map(Payload::converted));
    }
}

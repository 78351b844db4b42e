package io.clfs.connect.source;

import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.Payload;
import io.clfs.connect.envelope.TimestampKind;
import io.clfs.log.Lsn;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The builder keeps the origin's header bytes between records: each record still gets its own. */
class ReplayRecordBuilderTest {
    private static final Map<String, String> PARTITION = Map.of(SourceOffsets.LOG, "orders-0");

    private final ReplayRecordBuilder builder = new ReplayRecordBuilder(
            new ReplayTopics(Map.of(), new TopicTemplate("${topic}.replay")), PartitionMapper.preserving(true), true,
            null, null);

    private static Envelope envelope(String topic, int partition, long offset) {
        return new Envelope(topic, partition, offset, 1_000L, TimestampKind.CREATE_TIME, Payload.NULL,
                Payload.bytes(new byte[] {1, 2, 3}), List.of());
    }

    private SourceRecord build(long lsn, Envelope e) {
        builder.estimatedSize(e);
        return builder.build(PARTITION, lsn, e, new AckTracker(Lsn.INVALID));
    }

    private static String header(SourceRecord r, String name) {
        return new String((byte[]) r.headers().lastWithName(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void recordsOfOriginsInTurnCarryTheirOwnOrigin() {
        SourceRecord a = build(Lsn.of(1, 64), envelope("orders", 3, 7));
        SourceRecord b = build(Lsn.of(1, 128), envelope("payments", 12, 8));
        SourceRecord c = build(Lsn.of(1, 192), envelope("orders", 4, 9));

        assertThat(List.of(a, b, c)).extracting(r -> header(r, ReplayRecordBuilder.HEADER_ORIGIN_TOPIC))
                .containsExactly("orders", "payments", "orders");
        assertThat(List.of(a, b, c)).extracting(r -> header(r, ReplayRecordBuilder.HEADER_ORIGIN_PARTITION))
                .containsExactly("3", "12", "4");
        assertThat(List.of(a, b, c)).extracting(SourceRecord::topic)
                .containsExactly("orders.replay", "payments.replay", "orders.replay");
        assertThat(c.sourceOffset().get(SourceOffsets.LSN)).isEqualTo(Lsn.toString(Lsn.of(1, 192)));
        assertThat(header(c, ReplayRecordBuilder.HEADER_LSN)).isEqualTo(Lsn.toString(Lsn.of(1, 192)));
    }

    @Test
    void aRecordKeepsItsLsnAndItsLogsTrackerForCommitRecord() {
        AckTracker acks = new AckTracker(Lsn.INVALID);
        Envelope e = envelope("orders", 3, 7);
        builder.estimatedSize(e);

        ReplayedRecord r = builder.build(PARTITION, Lsn.of(2, 320), e, acks);

        assertThat(r.lsn()).isEqualTo(Lsn.of(2, 320));
        assertThat(r.acks()).isSameAs(acks);
    }

    @Test
    void changingOneRecordsHeaderBytesLeavesTheNextAlone() {
        SourceRecord first = build(Lsn.of(1, 64), envelope("orders", 3, 7));
        ((byte[]) first.headers().lastWithName(ReplayRecordBuilder.HEADER_ORIGIN_TOPIC).value())[0] = 'X';
        ((byte[]) first.headers().lastWithName(ReplayRecordBuilder.HEADER_ORIGIN_PARTITION).value())[0] = 'X';

        SourceRecord second = build(Lsn.of(1, 128), envelope("orders", 3, 8));

        assertThat(header(second, ReplayRecordBuilder.HEADER_ORIGIN_TOPIC)).isEqualTo("orders");
        assertThat(header(second, ReplayRecordBuilder.HEADER_ORIGIN_PARTITION)).isEqualTo("3");
    }
}

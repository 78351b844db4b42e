package io.clfs.connect.sink;

import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.Payload;
import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.connect.envelope.TimestampKind;
import io.clfs.connect.envelope.TopicOrigin;
import io.clfs.log.ClfsLog;
import io.clfs.log.io.FileIO;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A log records the topic it holds; another topic id under the same name starts a new generation. */
class OriginCheckTest {
    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final LogOpener OPENER = new LogOpener(FileIO.real(), null, false);
    private static final TopicOrigin FIRST = new TopicOrigin(Uuid.randomUuid(), 3, 1_048_588, 604_800_000L, -1, "delete");
    private static final TopicOrigin RECREATED = new TopicOrigin(Uuid.randomUuid(), 3, 1_048_588, -1, -1, "delete");

    @TempDir
    Path dir;

    private ClfsSinkConfig config() {
        return new ClfsSinkConfig(Map.of(ClfsSinkConfig.LOG_DIR, dir.toString()));
    }

    private PartitionJournal open() {
        return PartitionJournal.open(OPENER, TP, config(), 0, () -> 0, () -> { });
    }

    private static void append(PartitionJournal j, long from, long to) {
        for (long o = from; o < to; o++) {
            j.append(new Envelope(TP.topic(), TP.partition(), o, 1_000 + o, TimestampKind.CREATE_TIME, null,
                    Payload.bytes(new byte[] {(byte) o}), List.of()), 0);
        }
    }

    private static SinkRestartArea newest(Path logDir) {
        try (ClfsLog log = ClfsLog.openReadOnly(logDir)) {
            return SinkRestartArea.decode(log.stream().readRestartArea().data());
        }
    }

    @Test
    void theFirstDescriptionIsRecordedAndSurvivesReopening() {
        try (PartitionJournal j = OriginCheck.follow(open(), FIRST, OPENER, config(), 0)) {
            assertThat(j.generation()).isZero();
            append(j, 0, 5);
        }
        assertThat(newest(PartitionJournal.dirOf(dir, TP)).origin()).isEqualTo(FIRST);
        try (PartitionJournal j = open()) {
            assertThat(j.origin()).isEqualTo(FIRST);
            assertThat(j.nextOffset()).isEqualTo(5);
        }
    }

    @Test
    void changedSettingsOfTheSameTopicAreRecordedInTheSameLog() {
        OriginCheck.follow(open(), FIRST, OPENER, config(), 0).close();
        TopicOrigin longer = new TopicOrigin(FIRST.topicId(), 6, 1_048_588, -1, -1, "compact");
        try (PartitionJournal j = OriginCheck.follow(open(), longer, OPENER, config(), 0)) {
            assertThat(j.generation()).isZero();
            assertThat(newest(j.log().dir()).origin()).isEqualTo(longer);
        }
    }

    @Test
    void anotherTopicIdFinishesTheLogAndStartsANewGenerationAtOffsetZero() {
        try (PartitionJournal j = OriginCheck.follow(open(), FIRST, OPENER, config(), 0)) {
            append(j, 0, 50);
        }
        try (PartitionJournal j = OriginCheck.follow(open(), RECREATED, OPENER, config(), 0)) {
            assertThat(j.generation()).isEqualTo(1);
            assertThat(j.nextOffset()).as("the new topic is read from its start").isZero();
            assertThat(j.arrival(0)).isEqualTo(PartitionJournal.Arrival.NEXT);
            assertThat(newest(j.log().dir()).origin()).isEqualTo(RECREATED);
        }
        SinkRestartArea old = newest(PartitionJournal.dirOf(dir, TP));
        assertThat(old.finished()).isTrue();
        assertThat(old.origin()).isEqualTo(FIRST);
        assertThat(old.recordsJournaled()).isEqualTo(50);
    }

    @Test
    void withoutADescriptionNothingIsRecorded() {
        try (PartitionJournal j = OriginCheck.follow(open(), null, OPENER, config(), 0)) {
            append(j, 0, 3);
        }
        assertThat(newest(PartitionJournal.dirOf(dir, TP)).origin()).isNull();
    }
}

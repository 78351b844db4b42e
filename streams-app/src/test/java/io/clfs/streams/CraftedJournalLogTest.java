package io.clfs.streams;

import io.clfs.log.ClfsLog;
import io.clfs.log.CorruptLogException;
import io.clfs.log.LogBytes;
import io.clfs.log.LogKind;
import io.clfs.log.Lsn;
import io.clfs.log.fuzz.FuzzedJournalLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** CRC-valid journal logs whose links do not descend: recovery and redelivery fail at once, naming the record. */
class CraftedJournalLogTest {
    private static final TopicPartition TP = new TopicPartition("orders", 0);
    /** Guards against a hang only; the recovery is expected to fail at once. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aRestartAreaLinkedToItselfFailsTheRecoveryNamingItsRecord() {
        // envelope, restart area, envelope, restart area whose previous link points at itself
        assertRecoveryRefuses(new byte[]{0x00, 0x01, 0x00, 0x05}, 3);
    }

    @Test
    void aRecordLinkedAboveItselfFailsTheRecoveryNamingItsRecord() {
        // envelope whose previous link points at the next record, envelope
        assertRecoveryRefuses(new byte[]{0x08, 0x00}, 0);
    }

    /** Below the restart area recovery reads no data record; a redelivered offset walks back into the cycle. */
    @Test
    void aCycleBelowTheRestartAreaFailsTheRedeliveryNamingItsRecord() {
        // envelope linked to the next, envelope linked to the one before (a cycle), restart area
        List<Long> lsns = write(new byte[]{0x08, 0x0c, 0x01});
        try (ClfsLog log = ClfsLog.open(dir)) {
            PartitionStream j = PartitionStream.open(log, TP);
            try {
                assertRefused(assertTimeoutPreemptively(HANG_GUARD, () -> catchThrowable(() -> j.append(
                        JournalEnvelopes.of(TP.topic(), TP.partition(), 0, 0, null, new byte[]{1},
                                new RecordHeaders())))), lsns.get(0));
            } finally {
                j.close();
            }
        }
    }

    private void assertRecoveryRefuses(byte[] input, int refused) {
        List<Long> lsns = write(input);
        try (ClfsLog log = ClfsLog.open(dir)) {
            assertRefused(assertTimeoutPreemptively(HANG_GUARD,
                    () -> catchThrowable(() -> PartitionStream.open(log, TP))), lsns.get(refused));
        }
    }

    private List<Long> write(byte[] input) {
        return FuzzedJournalLog.write(dir, LogKind.MULTIPLEXED, log -> log.stream(StreamNames.of(TP)), TP.topic(),
                TP.partition(), input);
    }

    private void assertRefused(Throwable t, long lsn) {
        assertThat(t).isInstanceOf(CorruptLogException.class).hasMessageContaining("point below it");
        assertThat(((CorruptLogException) t).file()).isEqualTo(new LogBytes(dir).container(lsn));
        assertThat(((CorruptLogException) t).offset()).isEqualTo(Lsn.offset(lsn));
    }
}

package io.clfs.connect.sink;

import io.clfs.log.CorruptLogException;
import io.clfs.log.LogBytes;
import io.clfs.log.LogKind;
import io.clfs.log.ClfsLog;
import io.clfs.log.Lsn;
import io.clfs.log.fuzz.FuzzedJournalLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A CRC-valid partition log whose newest restart area's previous link points at itself or above
 * it: the task's open once spun until it ran out of memory. It must fail, naming the record.
 */
class CraftedSinkLogTest {
    private static final TopicPartition TP = new TopicPartition("orders", 0);
    /** Guards against a hang only; the open is expected to fail at once. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aRestartAreaLinkedToItselfFailsTheOpenNamingItsRecord() {
        // envelope, restart area, envelope, restart area whose previous link points at itself
        assertOpenRefuses(new byte[]{0x00, 0x01, 0x00, 0x05}, 3);
    }

    @Test
    void aRestartAreaLinkedAboveItselfFailsTheOpenNamingItsRecord() {
        // envelope, restart area whose previous link points at the next record, envelope
        assertOpenRefuses(new byte[]{0x00, 0x09, 0x00}, 1);
    }

    private void assertOpenRefuses(byte[] log, int refused) {
        List<Long> lsns = FuzzedJournalLog.write(PartitionJournal.dirOf(dir, TP), LogKind.DEDICATED, ClfsLog::stream,
                TP.topic(), TP.partition(), log);
        ClfsSinkTask task = new ClfsSinkTask();
        task.initialize(new FakeSinkTaskContext());
        task.start(Map.of(ClfsSinkConfig.LOG_DIR, dir.toString()));
        try {
            Throwable t = assertTimeoutPreemptively(HANG_GUARD, () -> catchThrowable(() -> task.open(List.of(TP))));
            assertThat(t).isInstanceOf(ConnectException.class).hasCauseInstanceOf(CorruptLogException.class)
                    .hasMessageContaining("point below it");
            CorruptLogException cause = (CorruptLogException) t.getCause();
            assertThat(cause.file()).isEqualTo(new LogBytes(PartitionJournal.dirOf(dir, TP)).container(lsns.get(refused)));
            assertThat(cause.offset()).isEqualTo(Lsn.offset(lsns.get(refused)));
        } finally {
            task.stop();
        }
    }
}

package io.clfs.streams;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.clfs.connect.envelope.EnvelopeFormatException;
import io.clfs.log.ClfsException;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogBytes;
import io.clfs.log.LogKind;
import io.clfs.log.fuzz.FuzzedJournalLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the Streams journal's recovery with Jazzer: a journal log whose
 * records, payloads and links come from the input ({@link FuzzedJournalLog}) is recovered as the
 * store recovers a partition, and a redelivered offset is looked up (a walk back along the
 * previous links). It ends with success or a typed refusal; never a loop, another exception or
 * running out of memory. Under {@code mvn test} the inputs in {@code JournalRecoveryFuzzTestInputs}
 * replay; {@code JAZZER_FUZZ=1} fuzzes.
 */
class JournalRecoveryFuzzTest {
    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @FuzzTest(maxDuration = "30s")
    void recovery(byte[] input) throws IOException {
        Path dir = Files.createTempDirectory("clfs-journal-fuzz");
        try {
            FuzzedJournalLog.write(dir, LogKind.MULTIPLEXED, log -> log.stream(StreamNames.of(TP)), TP.topic(),
                    TP.partition(), input);
            try (ClfsLog log = ClfsLog.open(dir)) {
                PartitionStream j = PartitionStream.open(log, TP);
                try {
                    j.append(JournalEnvelopes.of(TP.topic(), TP.partition(), 0, 0, null, new byte[]{1},
                            new RecordHeaders()));
                } finally {
                    j.close();
                }
            } catch (ClfsException | EnvelopeFormatException expected) {
                // a typed refusal naming what is wrong
            }
        } finally {
            LogBytes.delete(dir);
        }
    }
}

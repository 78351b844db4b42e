package io.clfs.connect.sink;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.clfs.connect.envelope.EnvelopeFormatException;
import io.clfs.log.ClfsException;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogBytes;
import io.clfs.log.LogKind;
import io.clfs.log.fuzz.FuzzedJournalLog;
import io.clfs.log.io.FileIO;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the sink's recovery with Jazzer: a partition's log whose records,
 * payloads and links come from the input ({@link FuzzedJournalLog}) is opened as the task opens it.
 * Recovery ends with the log open or a typed refusal; never a loop, another exception or running
 * out of memory. Under {@code mvn test} the inputs in {@code SinkRecoveryFuzzTestInputs} replay;
 * {@code JAZZER_FUZZ=1 mvn -pl connector test -Dtest=SinkRecoveryFuzzTest} fuzzes.
 */
class SinkRecoveryFuzzTest {
    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @FuzzTest(maxDuration = "30s")
    void recovery(byte[] input) throws IOException {
        Path root = Files.createTempDirectory("clfs-sink-fuzz");
        try {
            FuzzedJournalLog.write(PartitionJournal.dirOf(root, TP), LogKind.DEDICATED, ClfsLog::stream, TP.topic(),
                    TP.partition(), input);
            ClfsSinkConfig config = new ClfsSinkConfig(Map.of(ClfsSinkConfig.LOG_DIR, root.toString()));
            try (PartitionJournal j = PartitionJournal.open(new LogOpener(FileIO.real(), null, false), TP, config, 0, () -> 0, () -> { })) {
                j.nextOffset();
            } catch (ClfsException | ConnectException | EnvelopeFormatException expected) {
                // a typed refusal naming what is wrong
            }
        } finally {
            LogBytes.delete(root);
        }
    }
}

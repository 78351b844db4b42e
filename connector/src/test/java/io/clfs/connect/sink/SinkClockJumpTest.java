package io.clfs.connect.sink;

import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.log.ClfsLog;
import io.clfs.log.io.FileIO;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wall clock set back (NTP, a VM restored) must not hold off what is due after an interval:
 * restart areas by time run on the monotonic clock, while a restart area records wall time.
 */
class SinkClockJumpTest {
    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final long HOUR = 3_600_000;

    @TempDir
    Path dir;
    private final AtomicLong wall = new AtomicLong(1_700_000_000_000L);
    private final AtomicLong monotonic = new AtomicLong(42_000);
    private final FakeSinkTaskContext ctx = new FakeSinkTaskContext();
    private final ClfsSinkTask task = new ClfsSinkTask(wall::get, monotonic::get, FileIO.real());

    @AfterEach
    void stop() {
        task.stop();
    }

    @Test
    void restartAreasByTimeComeAtTheIntervalWhenTheWallClockJumpsBack() {
        task.initialize(ctx);
        task.start(Map.of(ClfsSinkConfig.LOG_DIR, dir.toString(), ClfsSinkConfig.RESTART_INTERVAL_MS, "1000"));
        task.open(List.of(TP));
        for (long offset = 0; offset < 3; offset++) {
            task.put(List.of(new SinkRecord(TP.topic(), TP.partition(), null, null, null, new byte[]{1}, offset,
                    wall.get(), TimestampType.CREATE_TIME)));
            wall.addAndGet(-HOUR); // back an hour...
            monotonic.addAndGet(1_000); // ...while one interval passes
            task.put(List.of());
            assertThat(ctx.metric("restart-areas-total")).as("restart areas after %d intervals", offset + 1)
                    .isEqualTo(offset + 1.0);
            assertThat(ctx.timeout).as("wake up at the next interval").isEqualTo(1_000);
        }
        task.close(List.of(TP));
        try (ClfsLog log = ClfsLog.openReadOnly(PartitionJournal.dirOf(dir, TP))) {
            assertThat(SinkRestartArea.decode(log.stream().readRestartArea().data()).writtenAtMs())
                    .as("a restart area records wall time").isEqualTo(wall.get());
        }
    }
}

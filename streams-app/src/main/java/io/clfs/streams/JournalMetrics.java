package io.clfs.streams;

import io.clfs.streams.TaskSensors.Stat;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.common.metrics.stats.WindowedCount;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * One journal store instance's metrics, in group {@code stream-clfs-journal-metrics} with tags
 * {@code thread-id}, {@code task-id} and {@code clfs-journal-id} (the store name). Records and
 * bytes count only once they are durable. LSN metrics hold the raw 64-bit LSN (container id times
 * 2^32 plus offset).
 */
final class JournalMetrics implements AutoCloseable {
    static final String SCOPE = "clfs-journal";
    static final String GROUP = TaskSensors.groupOf(SCOPE);

    private final TaskSensors sensors;
    private final Sensor records;
    private final Sensor bytes;
    private final Sensor duplicates;
    private final Sensor flush;
    private final Sensor lastLsn;
    private final Sensor restartLsn;

    JournalMetrics(StreamsMetrics streamsMetrics, String store, String taskId) {
        sensors = new TaskSensors(streamsMetrics, SCOPE, store, taskId);
        records = sensors.sensor("records",
                new Stat("records-total", "Records journaled and made durable", new CumulativeSum()),
                new Stat("records-rate", "Records journaled and made durable per second", new Rate()));
        bytes = sensors.sensor("bytes",
                new Stat("bytes-total", "Bytes journaled and made durable (journal record payloads)", new CumulativeSum()),
                new Stat("bytes-rate", "Bytes journaled and made durable per second", new Rate()));
        duplicates = sensors.sensor("duplicates",
                new Stat("duplicates-total", "Redelivered records found already journaled and not journaled again",
                        new CumulativeSum()));
        flush = sensors.sensor("flush",
                new Stat("flush-latency-avg", "Average ms to make the journal durable at a commit", new Avg()),
                new Stat("flush-latency-max", "Longest ms to make the journal durable at a commit", new Max()),
                new Stat("flush-total", "Commits that made journal records durable", new CumulativeCount()),
                new Stat("flush-rate", "Commits that made journal records durable per second",
                        new Rate(new WindowedCount())));
        lastLsn = sensors.sensor("last-lsn",
                new Stat("last-lsn", "Raw LSN of the newest durable journal record of this task", new Value()));
        restartLsn = sensors.sensor("restart-lsn",
                new Stat("restart-lsn", "Raw LSN of the newest restart area of this task", new Value()));
    }

    void duplicate() {
        duplicates.record(1);
    }

    /** One commit made {@code recordCount} records of {@code byteCount} bytes durable in {@code nanos}. */
    void synced(long nanos, long recordCount, long byteCount, long newestLsn, long newestRestartLsn) {
        flush.record(nanos / 1_000_000.0);
        records.record(recordCount);
        bytes.record(byteCount);
        lastLsn.record(newestLsn);
        restartLsn.record(newestRestartLsn);
    }

    @Override
    public void close() {
        sensors.close();
    }
}

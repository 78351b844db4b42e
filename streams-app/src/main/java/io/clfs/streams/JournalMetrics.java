package io.clfs.streams;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.MeasurableStat;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.common.metrics.stats.WindowedCount;
import org.apache.kafka.streams.StreamsMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One journal store instance's metrics, registered among the Streams metrics in group
 * {@value #GROUP} with tags {@code thread-id}, {@code task-id} and {@code clfs-journal-id} (the
 * store name), as Streams tags its own store metrics. Records and bytes count only once they are
 * durable. LSN metrics hold the raw 64-bit LSN (container id times 2^32 plus offset).
 *
 * <p>Sensors are made with {@link StreamsMetrics#addSensor} and named per thread, task and store:
 * the {@code add*Sensor} helpers name sensors per thread and entity only, so two tasks of one
 * thread would share one sensor.
 */
final class JournalMetrics implements AutoCloseable {
    static final String GROUP = "stream-clfs-journal-metrics";

    private final StreamsMetrics streamsMetrics;
    private final Map<String, String> tags;
    private final String sensorPrefix;
    private final List<Sensor> sensors = new ArrayList<>();
    private final Sensor records;
    private final Sensor bytes;
    private final Sensor duplicates;
    private final Sensor flush;
    private final Sensor lastLsn;
    private final Sensor restartLsn;

    JournalMetrics(StreamsMetrics streamsMetrics, String store, String taskId) {
        this.streamsMetrics = streamsMetrics;
        String thread = Thread.currentThread().getName();
        this.tags = Map.of("thread-id", thread, "task-id", taskId, "clfs-journal-id", store);
        this.sensorPrefix = "clfs-journal." + thread + "." + taskId + "." + store + ".";
        records = sensor("records",
                metric("records-total", "Records journaled and made durable", new CumulativeSum()),
                metric("records-rate", "Records journaled and made durable per second", new Rate()));
        bytes = sensor("bytes",
                metric("bytes-total", "Bytes journaled and made durable (journal record payloads)", new CumulativeSum()),
                metric("bytes-rate", "Bytes journaled and made durable per second", new Rate()));
        duplicates = sensor("duplicates",
                metric("duplicates-total", "Redelivered records found already journaled and not journaled again",
                        new CumulativeSum()));
        flush = sensor("flush",
                metric("flush-latency-avg", "Average time in ms to make the journal durable at a commit", new Avg()),
                metric("flush-latency-max", "Longest time in ms to make the journal durable at a commit", new Max()),
                metric("flush-total", "Commits that made journal records durable", new CumulativeCount()),
                metric("flush-rate", "Commits that made journal records durable per second", new Rate(new WindowedCount())));
        lastLsn = sensor("last-lsn",
                metric("last-lsn", "Raw LSN of the newest durable journal record of this task", new Value()));
        restartLsn = sensor("restart-lsn",
                metric("restart-lsn", "Raw LSN of the newest restart area of this task", new Value()));
    }

    private record Metric(MetricName name, MeasurableStat stat) {
    }

    private Metric metric(String name, String description, MeasurableStat stat) {
        return new Metric(new MetricName(name, GROUP, description, tags), stat);
    }

    private Sensor sensor(String name, Metric... metrics) {
        Sensor s = streamsMetrics.addSensor(sensorPrefix + name, Sensor.RecordingLevel.INFO);
        for (Metric m : metrics) {
            s.add(m.name(), m.stat());
        }
        sensors.add(s);
        return s;
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
        for (Sensor s : sensors) {
            streamsMetrics.removeSensor(s);
        }
        sensors.clear();
    }
}

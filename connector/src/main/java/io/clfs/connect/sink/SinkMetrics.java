package io.clfs.connect.sink;

import io.clfs.connect.TaskMetrics;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.Max;

import java.util.LinkedHashMap;
import java.util.function.IntSupplier;

/**
 * The sink task's metrics (see {@link TaskMetrics}). Per-partition gauges carry {@code topic} and
 * {@code partition} tags and are removed when the partition is closed.
 */
final class SinkMetrics implements AutoCloseable {
    /** The group of the task's own gauges. */
    private static final Object TASK = new Object();

    private final TaskMetrics metrics;
    private final TaskMetrics.Recorder records;
    private final TaskMetrics.Recorder bytes;
    private final TaskMetrics.Recorder skipped;
    private final TaskMetrics.Recorder flushLatency;
    private final TaskMetrics.Recorder restartAreas;
    private final TaskMetrics.Recorder fullPauses;
    private final TaskMetrics.Recorder diskFullPauses;
    private final TaskMetrics.Recorder gaps;
    private final TaskMetrics.Recorder recordsMissing;
    private final TaskMetrics.Recorder takeovers;
    private final TaskMetrics.Recorder fenced;
    /** Journaled since the last {@link #publishJournaled}; only the task thread (put) touches them, so no lock. */
    private long pendingRecords;
    private long pendingBytes;

    SinkMetrics(PluginMetrics pluginMetrics, IntSupplier pausedPartitions) {
        metrics = new TaskMetrics(pluginMetrics);
        records = metrics.counter("records-journaled", "data records journaled");
        bytes = metrics.counter("bytes-journaled", "envelope bytes journaled");
        skipped = metrics.counter("records-skipped", "redelivered records skipped because they were already journaled");
        restartAreas = metrics.counter("restart-areas", "restart areas written");
        fullPauses = metrics.counter("log-full-pauses", "times a partition was paused because its log was full");
        diskFullPauses = metrics.counter("disk-full-pauses", "times a partition was paused because the file system"
                + " had no space for a new container or log (counted in log-full-pauses too)");
        gaps = metrics.counter("gaps", "times Kafka resumed a partition past its log's end (records missing)");
        recordsMissing = metrics.counter("records-missing", "offsets passed over by those gaps");
        takeovers = metrics.counter("log-takeovers", "logs taken over from a writer that still held them after"
                + " clfs.log.open.timeout.ms (a stalled worker), which fences it");
        fenced = metrics.counter("logs-fenced", "logs this task gave up, committing nothing more for their partition,"
                + " because another writer took them over while this task was stalled");
        flushLatency = metrics.sensor("flush-latency", (s, names) -> {
            s.add(names.metricName("flush-latency-avg", "average time to make the task's dirty logs durable (ms)",
                    new LinkedHashMap<>()), new Avg());
            s.add(names.metricName("flush-latency-max", "longest time to make the task's dirty logs durable (ms)",
                    new LinkedHashMap<>()), new Max());
        });
        metrics.gauge(TASK, new LinkedHashMap<>(), "partitions-paused", "partitions paused now because their log is full",
                (Gauge<Integer>) (config, now) -> pausedPartitions.getAsInt());
    }

    /** Counts a journaled record; {@link #publishJournaled} records the counts. */
    void journaled(int envelopeBytes) {
        pendingRecords++;
        pendingBytes += envelopeBytes;
    }

    /**
     * Records what was journaled since the last call, once per {@code put}: a sensor's record takes
     * its lock and reads the clock, which per record was most of what {@code put} itself cost.
     */
    void publishJournaled() {
        if (pendingRecords > 0) {
            records.record(pendingRecords);
            bytes.record(pendingBytes);
            pendingRecords = 0;
            pendingBytes = 0;
        }
    }

    void skipped() {
        skipped.record();
    }

    void flushed(long latencyMs) {
        flushLatency.record(latencyMs);
    }

    void restartArea() {
        restartAreas.record();
    }

    void gap(long missing) {
        gaps.record();
        recordsMissing.record(missing);
    }

    void takeover() {
        takeovers.record();
    }

    void fenced() {
        fenced.record();
    }

    /** @param diskFull the file system was full, not the log */
    void fullPause(boolean diskFull) {
        fullPauses.record();
        if (diskFull) {
            diskFullPauses.record();
        }
    }

    /** Gauges of one partition's log: last LSN, base, archive tail, bytes pending archive, last offset. */
    void addPartition(PartitionJournal j) {
        LinkedHashMap<String, String> tags = new LinkedHashMap<>();
        tags.put("topic", j.partition().topic());
        tags.put("partition", Integer.toString(j.partition().partition()));
        metrics.gauge(j, tags, "last-lsn", "LSN of the last record appended to the partition's log", j::lastLsn);
        metrics.gauge(j, tags, "base-lsn", "base LSN of the partition's log", j::baseLsn);
        metrics.gauge(j, tags, "archive-tail", "archive tail of the partition's log (-1 for an ephemeral log)",
                j::archiveTail);
        metrics.gauge(j, tags, "bytes-pending-archive", "bytes released below the base but not yet archived",
                j::bytesPendingArchive);
        metrics.gauge(j, tags, "last-journaled-offset", "Kafka offset of the last journaled record",
                j::lastJournaledOffset);
    }

    void removePartition(PartitionJournal j) {
        metrics.removeGroup(j);
    }

    @Override
    public void close() {
        metrics.close();
    }
}

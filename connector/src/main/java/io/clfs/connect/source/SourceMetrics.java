package io.clfs.connect.source;

import io.clfs.connect.TaskMetrics;
import org.apache.kafka.common.metrics.PluginMetrics;

import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The source task's metrics (see {@link TaskMetrics}). Per-log gauges carry a {@code log} tag.
 * The gauges read a snapshot the task thread refreshes, never the log itself: a metrics
 * reporter's thread must not race the reader.
 *
 * <p>Replayed records are counted on the producer's thread ({@code commitRecord}) in atomic
 * counters and recorded to their sensors by the task thread ({@link #publishReplayed}); the
 * sensors guard themselves.
 */
final class SourceMetrics implements AutoCloseable {
    private final TaskMetrics metrics;
    private final TaskMetrics.Recorder records;
    private final TaskMetrics.Recorder bytes;
    private final TaskMetrics.Recorder skipped;
    /** Replayed since the last {@link #publishReplayed}. */
    private final AtomicLong pendingRecords = new AtomicLong();
    private final AtomicLong pendingBytes = new AtomicLong();

    SourceMetrics(PluginMetrics pluginMetrics) {
        metrics = new TaskMetrics(pluginMetrics);
        records = metrics.counter("records-replayed", "records replayed and acknowledged by Kafka");
        bytes = metrics.counter("bytes-replayed", "envelope bytes of the records replayed and acknowledged by Kafka");
        skipped = metrics.counter("records-skipped", "records not written to Kafka: refused and skipped under"
                + " errors.tolerance=all, or dropped by a transformation");
    }

    /** Counts a replayed record; {@link #publishReplayed} records the counts. */
    void replayed(int envelopeBytes) {
        pendingRecords.incrementAndGet();
        pendingBytes.addAndGet(envelopeBytes);
    }

    /**
     * Records what was replayed since the last call, once per poll: a sensor's record takes its
     * lock and reads the clock, which per record cost the producer's thread as much as sending it.
     */
    void publishReplayed() {
        long n = pendingRecords.getAndSet(0);
        if (n > 0) {
            records.record(n);
        }
        long b = pendingBytes.getAndSet(0);
        if (b > 0) {
            bytes.record(b);
        }
    }

    void skipped() {
        skipped.record();
    }

    /** Gauges of one log, read from {@code lag}: replay lag in records and bytes, archive tail, base, last replayed. */
    void addLog(String log, Supplier<LogReplayer.Lag> lag) {
        LinkedHashMap<String, String> tags = new LinkedHashMap<>();
        tags.put("log", log);
        metrics.gauge(log, tags, "replay-lag-records", "data records between the archive tail and the base LSN, by"
                + " Kafka offsets (-1 unknown)", () -> lag.get().records());
        metrics.gauge(log, tags, "replay-lag-bytes", "log bytes between the archive tail and the base LSN",
                () -> lag.get().bytes());
        metrics.gauge(log, tags, "archive-tail", "archive tail of the log as a 64-bit LSN (-1 for an ephemeral log)",
                () -> lag.get().archiveTail());
        metrics.gauge(log, tags, "base-lsn", "base LSN of the log as a 64-bit LSN", () -> lag.get().base());
        metrics.gauge(log, tags, "last-replayed-lsn", "LSN of the last record this task handed to Connect (-1 none)",
                () -> lag.get().lastReplayed());
    }

    @Override
    public void close() {
        metrics.close();
    }
}

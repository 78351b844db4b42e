package io.clfs.connect.source;

import io.clfs.connect.CountingSensors;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The task's metrics through Connect's plugin metrics (KIP-877), which tag them with the
 * connector and task. Per-log gauges carry a {@code log} tag. The gauges read a snapshot the task
 * thread refreshes, never the log itself: a metrics reporter's thread must not race the reader.
 * With no plugin metrics (null), every call does nothing.
 */
final class SourceMetrics implements AutoCloseable {
    private static final List<String> SENSORS = List.of("records-replayed", "bytes-replayed", "records-skipped");

    private final PluginMetrics metrics;
    private final Sensor records;
    private final Sensor bytes;
    private final Sensor skipped;
    private final Map<String, List<MetricName>> logGauges = new ConcurrentHashMap<>();

    SourceMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
        if (metrics == null) {
            records = bytes = skipped = null;
            return;
        }
        records = CountingSensors.counter(metrics, "records-replayed", "records replayed and acknowledged by Kafka");
        bytes = CountingSensors.counter(metrics, "bytes-replayed", "envelope bytes of the records replayed and acknowledged by Kafka");
        skipped = CountingSensors.counter(metrics, "records-skipped", "records not written to Kafka: refused and skipped under"
                + " errors.tolerance=all, or dropped by a transformation");
    }


    void replayed(int envelopeBytes) {
        if (records != null) {
            records.record();
            bytes.record(envelopeBytes);
        }
    }

    void skipped() {
        if (skipped != null) {
            skipped.record();
        }
    }

    /** Gauges of one log, read from {@code lag}: replay lag in records and bytes, archive tail, base, last replayed. */
    void addLog(String log, Supplier<LogReplayer.Lag> lag) {
        if (metrics == null) {
            return;
        }
        LinkedHashMap<String, String> tags = new LinkedHashMap<>();
        tags.put("log", log);
        List<MetricName> names = new ArrayList<>();
        gauge(names, tags, "replay-lag-records", "data records between the archive tail and the base LSN, by Kafka"
                + " offsets (-1 unknown)", () -> lag.get().records());
        gauge(names, tags, "replay-lag-bytes", "log bytes between the archive tail and the base LSN",
                () -> lag.get().bytes());
        gauge(names, tags, "archive-tail", "archive tail of the log as a 64-bit LSN (-1 for an ephemeral log)",
                () -> lag.get().archiveTail());
        gauge(names, tags, "base-lsn", "base LSN of the log as a 64-bit LSN", () -> lag.get().base());
        gauge(names, tags, "last-replayed-lsn", "LSN of the last record this task handed to Connect (-1 none)",
                () -> lag.get().lastReplayed());
        logGauges.put(log, names);
    }

    private void gauge(List<MetricName> names, LinkedHashMap<String, String> tags, String name, String description,
                       Supplier<Long> value) {
        MetricName n = metrics.metricName(name, description, tags);
        metrics.addMetric(n, (Gauge<Long>) (config, now) -> value.get());
        names.add(n);
    }

    @Override
    public void close() {
        if (metrics == null) {
            return;
        }
        for (String log : List.copyOf(logGauges.keySet())) {
            logGauges.remove(log).forEach(metrics::removeMetric);
        }
        SENSORS.forEach(metrics::removeSensor);
    }
}

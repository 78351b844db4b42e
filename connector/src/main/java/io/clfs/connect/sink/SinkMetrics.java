package io.clfs.connect.sink;

import io.clfs.connect.CountingSensors;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.Max;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.ToLongFunction;

/**
 * The task's metrics through Connect's plugin metrics (KIP-877), which tag them with the connector
 * and task. Per-partition gauges carry {@code topic} and {@code partition} tags and are removed
 * when the partition is closed. With no plugin metrics (null), every call does nothing.
 */
final class SinkMetrics implements AutoCloseable {
    private final PluginMetrics metrics;
    private final Sensor records;
    private final Sensor bytes;
    private final Sensor skipped;
    private final Sensor flushLatency;
    private final Sensor restartAreas;
    private final Sensor fullPauses;
    private final List<MetricName> taskGauges = new ArrayList<>();
    private final Map<Object, List<MetricName>> partitionGauges = new HashMap<>();

    SinkMetrics(PluginMetrics metrics, IntSupplier pausedPartitions) {
        this.metrics = metrics;
        if (metrics == null) {
            records = bytes = skipped = flushLatency = restartAreas = fullPauses = null;
            return;
        }
        records = CountingSensors.counter(metrics, "records-journaled", "data records journaled");
        bytes = CountingSensors.counter(metrics, "bytes-journaled", "envelope bytes journaled");
        skipped = CountingSensors.counter(metrics, "records-skipped", "redelivered records skipped because they were already journaled");
        restartAreas = CountingSensors.counter(metrics, "restart-areas", "restart areas written");
        fullPauses = CountingSensors.counter(metrics, "log-full-pauses", "times a partition was paused because its log was full");
        flushLatency = metrics.addSensor("flush-latency");
        flushLatency.add(name("flush-latency-avg", "average time to make the task's dirty logs durable (ms)"), new Avg());
        flushLatency.add(name("flush-latency-max", "longest time to make the task's dirty logs durable (ms)"), new Max());
        MetricName paused = name("partitions-paused", "partitions paused now because their log is full");
        metrics.addMetric(paused, (Gauge<Integer>) (config, now) -> pausedPartitions.getAsInt());
        taskGauges.add(paused);
    }


    private MetricName name(String name, String description) {
        return metrics.metricName(name, description, new LinkedHashMap<>());
    }

    void journaled(int envelopeBytes) {
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

    void flushed(long latencyMs) {
        if (flushLatency != null) {
            flushLatency.record(latencyMs);
        }
    }

    void restartArea() {
        if (restartAreas != null) {
            restartAreas.record();
        }
    }

    void fullPause() {
        if (fullPauses != null) {
            fullPauses.record();
        }
    }

    /** Gauges of one partition's log: last LSN, base, archive tail, bytes pending archive, last offset. */
    void addPartition(PartitionJournal j) {
        if (metrics == null) {
            return;
        }
        LinkedHashMap<String, String> tags = new LinkedHashMap<>();
        tags.put("topic", j.partition().topic());
        tags.put("partition", Integer.toString(j.partition().partition()));
        List<MetricName> names = new ArrayList<>();
        gauge(names, tags, "last-lsn", "LSN of the last record appended to the partition's log", j,
                PartitionJournal::lastLsn);
        gauge(names, tags, "base-lsn", "base LSN of the partition's log", j, PartitionJournal::baseLsn);
        gauge(names, tags, "archive-tail", "archive tail of the partition's log (-1 for an ephemeral log)", j,
                PartitionJournal::archiveTail);
        gauge(names, tags, "bytes-pending-archive", "bytes released below the base but not yet archived", j,
                PartitionJournal::bytesPendingArchive);
        gauge(names, tags, "last-journaled-offset", "Kafka offset of the last journaled record", j,
                PartitionJournal::lastJournaledOffset);
        partitionGauges.put(j, names);
    }

    private void gauge(List<MetricName> names, LinkedHashMap<String, String> tags, String name, String description,
                       PartitionJournal j, ToLongFunction<PartitionJournal> value) {
        MetricName n = metrics.metricName(name, description, tags);
        metrics.addMetric(n, (Gauge<Long>) (config, now) -> value.applyAsLong(j));
        names.add(n);
    }

    void removePartition(PartitionJournal j) {
        List<MetricName> names = partitionGauges.remove(j);
        if (names != null) {
            names.forEach(metrics::removeMetric);
        }
    }

    @Override
    public void close() {
        if (metrics == null) {
            return;
        }
        for (Object j : List.copyOf(partitionGauges.keySet())) {
            partitionGauges.remove(j).forEach(metrics::removeMetric);
        }
        taskGauges.forEach(metrics::removeMetric);
        for (String s : List.of("records-journaled", "bytes-journaled", "records-skipped", "restart-areas",
                "log-full-pauses", "flush-latency")) {
            metrics.removeSensor(s);
        }
    }
}

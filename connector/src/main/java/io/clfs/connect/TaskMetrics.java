package io.clfs.connect;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Rate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * What both tasks' metrics share: Connect's plugin metrics (KIP-877), which tag every metric with
 * the connector and task; sensors and groups of gauges registered here, all removed by
 * {@link #close}. With no plugin metrics (null: an older runtime), nothing is registered and every
 * recorder does nothing.
 *
 * <p>Thread-safety: sensors are registered while the task starts, on its thread; gauge groups may
 * be added and removed from any thread, as a concurrent map holds them.
 */
public final class TaskMetrics implements AutoCloseable {
    private final PluginMetrics metrics;
    private final List<String> sensors = new ArrayList<>();
    private final Map<Object, List<MetricName>> gaugeGroups = new ConcurrentHashMap<>();

    public TaskMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    /** Records into a sensor, or does nothing without plugin metrics. */
    public static final class Recorder {
        private final Sensor sensor;

        private Recorder(Sensor sensor) {
            this.sensor = sensor;
        }

        public void record() {
            if (sensor != null) {
                sensor.record();
            }
        }

        public void record(double value) {
            if (sensor != null) {
                sensor.record(value);
            }
        }
    }

    /** Counts something the way both connectors do: {@code <base>-total} and {@code <base>-rate}. */
    public Recorder counter(String base, String what) {
        return sensor(base, (s, names) -> {
            s.add(names.metricName(base + "-total", "total " + what, new LinkedHashMap<>()), new CumulativeSum());
            s.add(names.metricName(base + "-rate", what + " per second", new LinkedHashMap<>()), new Rate());
        });
    }

    /** A sensor named {@code name} with the statistics {@code stats} adds to it. */
    public Recorder sensor(String name, BiConsumer<Sensor, PluginMetrics> stats) {
        if (metrics == null) {
            return new Recorder(null);
        }
        Sensor s = metrics.addSensor(name);
        stats.accept(s, metrics);
        sensors.add(name);
        return new Recorder(s);
    }

    /** A gauge of {@code value} tagged with {@code tags}, removed with the rest of {@code group}. */
    public void gauge(Object group, LinkedHashMap<String, String> tags, String name, String description,
                      Gauge<?> value) {
        if (metrics == null) {
            return;
        }
        MetricName n = metrics.metricName(name, description, tags);
        metrics.addMetric(n, value);
        gaugeGroups.computeIfAbsent(group, g -> new ArrayList<>()).add(n);
    }

    /** A gauge of a long, as {@link #gauge}. */
    public void gauge(Object group, LinkedHashMap<String, String> tags, String name, String description,
                      LongSupplier value) {
        gauge(group, tags, name, description, (Gauge<Long>) (config, now) -> value.getAsLong());
    }

    /** Removes the gauges of {@code group} (a closed partition, a log no longer replayed). */
    public void removeGroup(Object group) {
        List<MetricName> names = gaugeGroups.remove(group);
        if (names != null) {
            names.forEach(metrics::removeMetric);
        }
    }

    @Override
    public void close() {
        if (metrics == null) {
            return;
        }
        List.copyOf(gaugeGroups.keySet()).forEach(this::removeGroup);
        sensors.forEach(metrics::removeSensor);
    }
}

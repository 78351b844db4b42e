package io.clfs.connect;

import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Rate;

import java.util.LinkedHashMap;

/** Both connectors count things the same way: {@code <base>-total} and {@code <base>-rate}. */
public final class CountingSensors {
    private CountingSensors() {
    }

    public static Sensor counter(PluginMetrics metrics, String base, String what) {
        Sensor s = metrics.addSensor(base);
        s.add(metrics.metricName(base + "-total", "total " + what, new LinkedHashMap<>()), new CumulativeSum());
        s.add(metrics.metricName(base + "-rate", what + " per second", new LinkedHashMap<>()), new Rate());
        return s;
    }
}

package io.clfs.streams;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.MeasurableStat;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sensors of one task's component, registered among the Streams metrics in group
 * {@code stream-<scope>-metrics} with tags {@code thread-id}, {@code task-id} and
 * {@code <scope>-id}, as Streams tags its own store metrics; removed together on close.
 *
 * <p>Sensors are made with {@link StreamsMetrics#addSensor} and named per thread, task and entity:
 * the {@code add*Sensor} helpers name sensors per thread and entity only, so two tasks of one
 * thread would share (and double-count) one sensor.
 */
public final class TaskSensors implements AutoCloseable {
    private final StreamsMetrics streamsMetrics;
    private final String group;
    private final Map<String, String> tags;
    private final String sensorPrefix;
    private final List<Sensor> sensors = new ArrayList<>();

    /** One metric of a sensor. */
    public record Stat(String name, String description, MeasurableStat stat) {
    }

    /** Call on the stream thread that runs the task: its name is the {@code thread-id} tag. */
    public TaskSensors(StreamsMetrics streamsMetrics, String scope, String entity, String taskId) {
        this.streamsMetrics = streamsMetrics;
        String thread = Thread.currentThread().getName();
        this.group = groupOf(scope);
        this.tags = Map.of("thread-id", thread, "task-id", taskId, scope + "-id", entity);
        this.sensorPrefix = scope + "." + thread + "." + taskId + "." + entity + ".";
    }

    public static String groupOf(String scope) {
        return "stream-" + scope + "-metrics";
    }

    public Sensor sensor(String name, Stat... stats) {
        Sensor s = streamsMetrics.addSensor(sensorPrefix + name, Sensor.RecordingLevel.INFO);
        for (Stat st : stats) {
            s.add(new MetricName(st.name(), group, st.description(), tags), st.stat());
        }
        sensors.add(s);
        return s;
    }

    @Override
    public void close() {
        for (Sensor s : sensors) {
            streamsMetrics.removeSensor(s);
        }
        sensors.clear();
    }
}

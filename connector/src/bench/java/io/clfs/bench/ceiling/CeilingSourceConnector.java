package io.clfs.bench.ceiling;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.util.ConnectorUtils;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The measured ceiling of any source connector on the bench machine: its tasks do nothing but hand
 * Connect pre-built records shaped like the CLFS replay's (same topic layout, value size, null key,
 * timestamp, {@code clfs.*} headers, one source partition per log and an LSN offset per record),
 * so that {@code bin/bench} shows how far Connect itself lets the replay go. Bench code only, never
 * in the plugin; {@code bin/bench} lays it down on the worker's plugin path.
 */
public class CeilingSourceConnector extends SourceConnector {
    static final String TOPIC = "ceiling.topic";
    static final String PARTITIONS = "ceiling.partitions";
    static final String RECORDS = "ceiling.records";
    static final String RECORD_SIZE = "ceiling.record.size";
    static final String BATCH_SIZE = "ceiling.batch.size";
    static final String HEADERS = "ceiling.headers";
    static final String ORIGIN_TOPIC = "ceiling.origin.topic";
    static final String FRESH = "ceiling.fresh";
    /** Set per task: the partitions (the replay's logs) it emits, comma-separated. */
    static final String TASK_PARTITIONS = "ceiling.task.partitions";

    static final ConfigDef CONFIG = new ConfigDef()
            .define(TOPIC, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "the topic written to")
            .define(PARTITIONS, ConfigDef.Type.INT, ConfigDef.Importance.HIGH, "its partitions, one log each")
            .define(RECORDS, ConfigDef.Type.LONG, ConfigDef.Importance.HIGH, "records in all, split among them")
            .define(RECORD_SIZE, ConfigDef.Type.INT, ConfigDef.Importance.HIGH, "value bytes per record")
            .define(BATCH_SIZE, ConfigDef.Type.INT, ConfigDef.Importance.HIGH, "records per poll")
            .define(HEADERS, ConfigDef.Type.BOOLEAN, true, ConfigDef.Importance.HIGH,
                    "whether records carry the clfs.* headers, as with clfs.replay.headers=true")
            .define(ORIGIN_TOPIC, ConfigDef.Type.STRING, ConfigDef.Importance.LOW,
                    "the text of the clfs.origin.topic header")
            .define(FRESH, ConfigDef.Type.BOOLEAN, false, ConfigDef.Importance.LOW,
                    "whether each record gets its own value array and header objects and bytes, as the replay"
                    + " builds them, instead of sharing one per log");

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        CONFIG.parse(props); // fails the connector, not its tasks, on a bad config
    }

    @Override
    public Class<? extends Task> taskClass() {
        return CeilingSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        int partitions = Integer.parseInt(props.get(PARTITIONS));
        List<Integer> all = IntStream.range(0, partitions).boxed().toList();
        List<Map<String, String>> configs = new ArrayList<>();
        for (List<Integer> group : ConnectorUtils.groupPartitions(all, Math.min(maxTasks, partitions))) {
            Map<String, String> c = new HashMap<>(props);
            c.put(TASK_PARTITIONS, group.stream().map(String::valueOf).collect(Collectors.joining(",")));
            configs.add(c);
        }
        return configs;
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public String version() {
        return "bench";
    }
}

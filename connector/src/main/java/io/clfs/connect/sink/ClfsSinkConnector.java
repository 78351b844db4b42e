package io.clfs.connect.sink;

import io.clfs.connect.ConfigValidators;
import io.clfs.connect.DirectoryMarker;
import io.clfs.connect.Version;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Journals the records of its topics into one CLFS-style log per topic-partition, exactly once.
 * Every task gets the same settings: Connect spreads the partitions over the tasks, and a
 * partition's log is self-contained, so a partition can move to any task that sees the log
 * directory; a {@link DirectoryMarker} proves to each task that it sees the connector's.
 */
public class ClfsSinkConnector extends SinkConnector {
    private Map<String, String> props;
    private DirectoryMarker marker;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        ClfsSinkConfig config = new ClfsSinkConfig(props); // fail fast on a bad configuration, with the key named
        this.props = Map.copyOf(props);
        this.marker = DirectoryMarker.leave(config.logDir(), DirectoryMarker.connectorName(props));
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ClfsSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        Map<String, String> task = new HashMap<>(props);
        marker.addTo(task);
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            configs.add(task);
        }
        return configs;
    }

    @Override
    public void stop() {
        // the tasks own the logs; nothing to release here
    }

    @Override
    public ConfigDef config() {
        return ClfsSinkConfig.CONFIG_DEF;
    }

    /** Per-key validation, plus the rule that spans two keys (min containers at most max), named on the max key. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        Optional<ConfigValue> min = ConfigValidators.find(config, ClfsSinkConfig.MIN_CONTAINERS);
        Optional<ConfigValue> max = ConfigValidators.find(config, ClfsSinkConfig.MAX_CONTAINERS);
        if (min.isPresent() && max.isPresent() && min.get().errorMessages().isEmpty()
                && max.get().errorMessages().isEmpty() && min.get().value() instanceof Integer lo
                && max.get().value() instanceof Integer hi && lo > hi) {
            max.get().addErrorMessage(ClfsSinkConfig.MAX_CONTAINERS + " (" + hi + ") must be at least "
                    + ClfsSinkConfig.MIN_CONTAINERS + " (" + lo + ")");
        }
        return config;
    }
}

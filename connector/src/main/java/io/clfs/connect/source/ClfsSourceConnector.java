package io.clfs.connect.source;

import io.clfs.connect.ConfigValidators;
import io.clfs.connect.DirectoryMarker;
import io.clfs.connect.Version;
import io.clfs.log.Lsn;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.util.ConnectorUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays the records of CLFS logs into Kafka. Each log under {@code clfs.log.dir} is one source
 * partition; the logs are spread over the tasks, and a watcher asks Connect to reconfigure the
 * tasks when logs appear or go away. Exactly-once capable (KIP-618): a record's source offset is
 * its LSN, so Connect can commit it in the same transaction as the record. A
 * {@link DirectoryMarker} proves to each task that it sees the connector's log directory, the
 * one whose logs the connector assigned.
 */
public class ClfsSourceConnector extends SourceConnector {
    private static final Logger log = LoggerFactory.getLogger(ClfsSourceConnector.class);

    private Map<String, String> props;
    private LogDirectory directory;
    private DirectoryMarker marker;
    private LogDirectoryWatcher watcher;
    /** The logs the last task configurations cover; null before the first. */
    private volatile List<String> assigned;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        ClfsSourceConfig config = new ClfsSourceConfig(props); // fails fast, naming the key
        this.props = Map.copyOf(props);
        this.directory = new LogDirectory(config.logDir(), config.logs());
        this.marker = DirectoryMarker.leave(config.logDir(), DirectoryMarker.connectorName(props));
        this.assigned = null;
        this.watcher = new LogDirectoryWatcher(directory, () -> assigned, () -> context().requestTaskReconfiguration(),
                config.discoveryIntervalMs(), props.getOrDefault("name", "clfs-source"));
        watcher.start();
        log.info("Replaying the logs in {} ({} mode)", config.logDir(), config.mode());
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ClfsSourceTask.class;
    }

    /** One task per group of logs; no task while there is no log (the watcher adds them when one appears). */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<String> logs = directory.list();
        assigned = logs;
        if (logs.isEmpty()) {
            log.info("No log in {} yet: no task until one appears", directory.root());
            return List.of();
        }
        List<Map<String, String>> configs = new ArrayList<>();
        for (List<String> group : ConnectorUtils.groupPartitions(logs, Math.min(maxTasks, logs.size()))) {
            Map<String, String> task = new HashMap<>(props);
            task.put(ClfsSourceConfig.TASK_LOGS, String.join(",", group));
            marker.addTo(task);
            configs.add(task);
        }
        return configs;
    }

    @Override
    public void stop() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    @Override
    public ConfigDef config() {
        return ClfsSourceConfig.CONFIG_DEF;
    }

    /**
     * Per-key validation, plus the rules that span keys, each reported on the key at fault; then,
     * when the config is valid and names {@code clfs.replay.bootstrap.servers}, the preflight of the
     * target topics that the task would run at start ({@link ReplayPreflight#problems}).
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        Map<String, String> values = new HashMap<>();
        for (ConfigValue v : config.configValues()) {
            if (!v.errorMessages().isEmpty() && SourceKeyRules.READS.contains(v.name())) {
                return config; // the rules that span keys read values the per-key validators passed
            }
            values.put(v.name(), v.value() == null ? "" : v.value().toString());
        }
        for (SourceKeyRules.KeyError e : SourceKeyRules.errors(values::get)) {
            ConfigValidators.find(config, e.key()).ifPresent(v -> v.addErrorMessage(e.message()));
        }
        if (config.configValues().stream().allMatch(v -> v.errorMessages().isEmpty())) {
            for (ReplayPreflight.Problem p : ReplayPreflight.problems(new ClfsSourceConfig(connectorConfigs),
                    connectorConfigs, System.currentTimeMillis())) {
                ConfigValidators.find(config, p.key()).ifPresent(v -> v.addErrorMessage(p.message()));
            }
        }
        return config;
    }

    /** Every mode can run exactly once: the offset (the LSN) names exactly where a record is in its log. */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    /**
     * With {@code transaction.boundary=connector} the task commits a transaction at each restart
     * area of the sink (the records between two restart areas, the unit by which the sink releases
     * records) and at the end of a range.
     */
    @Override
    public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
        return ConnectorTransactionBoundaries.SUPPORTED;
    }

    /**
     * Accepts offsets of this connector's shape only: partition {log: name, logId: id} (plus range
     * in range mode; {log: name} as earlier versions keyed it), offset {lsn: canonical LSN, logId:
     * id} or null (reset); an offset's log id, when given, must be the partition's. A reset never
     * moves an archive tail back: the task resumes at the later of the committed LSN and the
     * archive tail.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        for (Map.Entry<Map<String, ?>, Map<String, ?>> e : offsets.entrySet()) {
            if (!(e.getKey().get(SourceOffsets.LOG) instanceof String)) {
                throw new ConnectException("a source partition of this connector is {\"" + SourceOffsets.LOG
                        + "\": \"<log directory name>\"}, not " + e.getKey());
            }
            if (e.getValue() != null) {
                Object partitionId = e.getKey().get(SourceOffsets.LOG_ID);
                Object offsetId = e.getValue().get(SourceOffsets.LOG_ID);
                if (partitionId != null && offsetId != null && !partitionId.equals(offsetId)) {
                    throw new ConnectException("offset of " + e.getKey() + " names log id " + offsetId
                            + ", not the partition's");
                }
                Object lsn = e.getValue().get(SourceOffsets.LSN);
                try {
                    Lsn.parse(lsn == null ? null : lsn.toString());
                } catch (IllegalArgumentException bad) {
                    throw new ConnectException("offset of " + e.getKey() + ": " + bad.getMessage(), bad);
                }
            }
        }
        return true;
    }
}

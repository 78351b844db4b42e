package io.clfs.connect.sink;

import io.clfs.connect.ConfigValidators;
import io.clfs.log.LogPolicy;
import io.clfs.log.engine.BlockBufferPool;
import io.clfs.log.format.Layout;
import io.clfs.connect.ClfsConnectorConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import java.util.Locale;
import java.util.Map;

/**
 * The sink's configuration. Key names are the project's public contract
 * ({@code shared/design/kafka-mapping.md}); framework keys such as {@code topics} and
 * {@code errors.*} belong to Connect and are not redefined here.
 */
public final class ClfsSinkConfig extends ClfsConnectorConfig {
    private static final String GROUP_LOG = "Log";
    private static final String GROUP_RECOVERY = "Restart areas and retention";
    private static final String GROUP_BEHAVIOR = "Behavior";
    private static final String GROUP_FORMAT = "Format";
    private static final String GROUP_ORIGIN = "Origin topics";

    public static final String CONTAINER_SIZE = "clfs.container.size.bytes";
    public static final String MIN_CONTAINERS = "clfs.log.min.containers";
    public static final String MAX_CONTAINERS = "clfs.log.max.containers";
    public static final String ARCHIVE_ENABLED = "clfs.archive.enabled";
    public static final String OPEN_TIMEOUT_MS = "clfs.log.open.timeout.ms";
    public static final String FLUSH_THREADS = "clfs.flush.threads";
    public static final String DIRECT_MEMORY_BUDGET = "clfs.direct.memory.budget.bytes";
    public static final String RESTART_INTERVAL_MS = "clfs.restart.interval.ms";
    public static final String RESTART_INTERVAL_RECORDS = "clfs.restart.interval.records";
    public static final String RETENTION_MS = "clfs.retention.ms";
    public static final String RETENTION_BYTES = "clfs.retention.bytes";
    public static final String LOG_FULL_BEHAVIOR = "clfs.log.full.behavior";
    public static final String LOG_FULL_RETRY_MS = "clfs.log.full.retry.backoff.ms";
    public static final String NULL_VALUES = "behavior.on.null.values";
    public static final String ORIGIN_BOOTSTRAP_SERVERS = "clfs.origin.bootstrap.servers";
    /** Settings of the Admin client that describes the origin topics (security), under this prefix. */
    public static final String ORIGIN_ADMIN_PREFIX = "clfs.origin.admin.";
    public static final String ORIGIN_TIMEOUT_MS = "clfs.origin.timeout.ms";

    /** What to do when a partition's log is full. */
    public enum LogFullBehavior { BLOCK, FAIL }

    /** What to do with a record whose value is null (a tombstone). */
    public enum NullValueBehavior { WRITE, IGNORE, FAIL }

    public static final ConfigDef CONFIG_DEF = configDef();

    public ClfsSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        if (minContainers() > maxContainers()) {
            throw new ConfigException(MAX_CONTAINERS, maxContainers(),
                    "must be at least " + MIN_CONTAINERS + " (" + minContainers() + ")");
        }
    }

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        defineLogDir(def, "Directory holding one log per topic-partition, at <" + LOG_DIR
                + ">/<topic>-<partition>/. Created if missing. Every worker that may run the tasks must see"
                + " the same directory (local disk for one worker, shared storage otherwise).", GROUP_LOG, ++order);
        def.define(CONTAINER_SIZE, Type.LONG, LogPolicy.DEFAULT_CONTAINER_SIZE, new ContainerSizeValidator(),
                Importance.MEDIUM, "Bytes per container file of a new log, a multiple of " + Layout.SECTOR + " from "
                        + LogPolicy.MIN_CONTAINER_SIZE + " to " + LogPolicy.MAX_CONTAINER_SIZE + ". Fixed when a log"
                        + " is created; a record larger than a container (less its framing) cannot be journaled.",
                GROUP_LOG, ++order, Width.MEDIUM, "Container size");
        def.define(MIN_CONTAINERS, Type.INT, 2, ConfigDef.Range.between(2, Layout.MAX_CONTAINERS), Importance.LOW,
                "The log never has fewer container files than this.", GROUP_LOG, ++order, Width.SHORT,
                "Minimum containers");
        def.define(MAX_CONTAINERS, Type.INT, 64, ConfigDef.Range.between(2, Layout.MAX_CONTAINERS), Importance.MEDIUM,
                "The log never grows past this many containers; with " + CONTAINER_SIZE + " it bounds the disk a"
                        + " partition's log uses. When all are needed, " + LOG_FULL_BEHAVIOR + " decides.",
                GROUP_LOG, ++order, Width.SHORT, "Maximum containers");
        def.define(ARCHIVE_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
                "Create non-ephemeral logs: records below the base LSN stay until an archiver (the source"
                        + " connector, or the clfs archive tool) moves the archive tail past them. With false, space is"
                        + " reclaimed as soon as the base LSN moves. Fixed when a log is created.",
                GROUP_LOG, ++order, Width.SHORT, "Archive enabled");
        def.define(OPEN_TIMEOUT_MS, Type.LONG, 30_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                "How long a task waits for a log that another writer still holds (a previous owner of the"
                        + " partition that is still closing) before it takes the log over. Meanwhile only that"
                        + " partition is paused. A holder still there after this long is taken to be stalled (a"
                        + " stopped worker, whose partitions Kafka has given away): the task fences it (its next"
                        + " flush fails and it commits nothing more for the partition), logs whom it took the log"
                        + " from, counts it in log-takeovers-total, and goes on.",
                GROUP_LOG, ++order, Width.SHORT, "Log open timeout (ms)");
        def.define(FLUSH_THREADS, Type.INT, 8, ConfigDef.Range.between(1, 256), Importance.LOW,
                "Threads a task uses to flush, and to open or create, its partitions' logs at the same time, so"
                        + " that N dirty partitions (or N new logs) cost about one round of fsyncs, not N.",
                GROUP_LOG, ++order, Width.SHORT, "Flush threads");
        def.define(DIRECT_MEMORY_BUDGET, Type.LONG, BlockBufferPool.DEFAULT_BUDGET, ConfigDef.Range.atLeast(0),
                Importance.LOW, "Direct memory the block buffers of all logs in the worker may take, whatever the"
                        + " number of partitions: a partition's log holds a buffer only while it has unwritten"
                        + " records, and beyond this budget it fills heap buffers and flushes them at once. One"
                        + " budget per worker process: the task started last sets it.",
                GROUP_LOG, ++order, Width.SHORT, "Direct memory budget (bytes)");

        order = 0;
        def.define(RESTART_INTERVAL_MS, Type.LONG, 60_000L, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                "Write a restart area (last journaled offset and counts) at least this often while records"
                        + " arrive; the base-LSN policy is applied at least this often, also while none arrive.",
                GROUP_RECOVERY, ++order, Width.SHORT, "Restart interval (ms)");
        def.define(RESTART_INTERVAL_RECORDS, Type.LONG, 100_000L, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                "Also write a restart area after this many records: recovery reads at most these records.",
                GROUP_RECOVERY, ++order, Width.SHORT, "Restart interval (records)");
        def.define(RETENTION_MS, Type.LONG, 604_800_000L, ConfigDef.Range.atLeast(-1), Importance.MEDIUM,
                "Records older than this (by record timestamp) fall below the base LSN and are released to the"
                        + " archiver; -1 keeps them. The base moves in restart-area steps.",
                GROUP_RECOVERY, ++order, Width.SHORT, "Retention (ms)");
        def.define(RETENTION_BYTES, Type.LONG, -1L, ConfigDef.Range.atLeast(-1), Importance.MEDIUM,
                "Records beyond this many envelope bytes (newest kept) fall below the base LSN; -1 for no limit."
                        + " The base moves in restart-area steps.",
                GROUP_RECOVERY, ++order, Width.SHORT, "Retention (bytes)");

        order = 0;
        def.define(LOG_FULL_BEHAVIOR, Type.STRING, "block", ConfigValidators.lowerCaseEnum(LogFullBehavior.values()), Importance.MEDIUM,
                "When a partition's log is full: 'block' pauses that partition and retries (nothing is dropped;"
                        + " the reason is logged and counted in the metrics), 'fail' fails the task.",
                GROUP_BEHAVIOR, ++order, Width.SHORT, "Log full behavior");
        def.define(LOG_FULL_RETRY_MS, Type.LONG, 1_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "With 'block', how long a paused partition waits before the task retries its append.",
                GROUP_BEHAVIOR, ++order, Width.SHORT, "Log full retry backoff (ms)");
        def.define(NULL_VALUES, Type.STRING, "write", ConfigValidators.lowerCaseEnum(NullValueBehavior.values()), Importance.MEDIUM,
                "Records with a null value (tombstones): 'write' journals them, 'ignore' skips them, 'fail' fails"
                        + " the task naming the record.",
                GROUP_BEHAVIOR, ++order, Width.SHORT, "Null values");

        order = 0;
        def.define(ORIGIN_BOOTSTRAP_SERVERS, Type.STRING, "", ConfigValidators.hostPortList(), Importance.MEDIUM,
                "The cluster of the sink's topics (host:port,...). When set, a task describes its topics when"
                        + " partitions are assigned and records in each log the topic id, partition count,"
                        + " max.message.bytes, retention.ms, retention.bytes and cleanup.policy (restores mirror"
                        + " them); a topic deleted and created again (new topic id) finishes the log and starts a new"
                        + " generation. Admin client settings (security) under '" + ORIGIN_ADMIN_PREFIX + "'. Empty:"
                        + " topic ids are not checked.", GROUP_ORIGIN, ++order, Width.LONG, "Origin bootstrap servers");
        def.define(ORIGIN_TIMEOUT_MS, Type.LONG, 15_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "How long a task waits for the origin cluster to describe the topics of a partition assignment;"
                        + " past it the assignment goes on without the check (logged).",
                GROUP_ORIGIN, ++order, Width.SHORT, "Origin describe timeout (ms)");

        order = 0;
        defineFormatConverter(def, "Converter that serializes keys, values and header values that are not bytes"
                + " (data from a schema-aware key/value/header converter), so that the source connector can"
                + " rebuild them. Configure it with keys prefixed '" + FORMAT_CONVERTER_PREFIX
                + "'. Bytes (ByteArrayConverter) are journaled exactly as Kafka delivered them.", GROUP_FORMAT, ++order);
        return def;
    }

    public int minContainers() {
        return getInt(MIN_CONTAINERS);
    }

    public int maxContainers() {
        return getInt(MAX_CONTAINERS);
    }

    /** The engine policy of a new partition log. */
    public LogPolicy logPolicy() {
        return LogPolicy.defaults().withContainerSize(getLong(CONTAINER_SIZE))
                .withContainers(minContainers(), maxContainers());
    }

    public boolean archiveEnabled() {
        return getBoolean(ARCHIVE_ENABLED);
    }

    public long openTimeoutMs() {
        return getLong(OPEN_TIMEOUT_MS);
    }

    public int flushThreads() {
        return getInt(FLUSH_THREADS);
    }

    public long directMemoryBudget() {
        return getLong(DIRECT_MEMORY_BUDGET);
    }

    public long restartIntervalMs() {
        return getLong(RESTART_INTERVAL_MS);
    }

    public long restartIntervalRecords() {
        return getLong(RESTART_INTERVAL_RECORDS);
    }

    public long retentionMs() {
        return getLong(RETENTION_MS);
    }

    public long retentionBytes() {
        return getLong(RETENTION_BYTES);
    }

    public LogFullBehavior logFullBehavior() {
        return LogFullBehavior.valueOf(getString(LOG_FULL_BEHAVIOR).toUpperCase(Locale.ROOT));
    }

    public long logFullRetryMs() {
        return getLong(LOG_FULL_RETRY_MS);
    }

    /** The Admin client settings for the origin topics, or empty when {@link #ORIGIN_BOOTSTRAP_SERVERS} is not set. */
    public Map<String, Object> originAdminConfig() {
        return adminConfig(ORIGIN_BOOTSTRAP_SERVERS, ORIGIN_ADMIN_PREFIX);
    }

    public long originTimeoutMs() {
        return getLong(ORIGIN_TIMEOUT_MS);
    }

    public NullValueBehavior nullValueBehavior() {
        return NullValueBehavior.valueOf(getString(NULL_VALUES).toUpperCase(Locale.ROOT));
    }


    /** The engine's container-size rule, checked here so that validation names this key. */
    static final class ContainerSizeValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            long v = (Long) value;
            if (v < LogPolicy.MIN_CONTAINER_SIZE || v > LogPolicy.MAX_CONTAINER_SIZE || v % Layout.SECTOR != 0) {
                throw new ConfigException(name, value, "must be a multiple of " + Layout.SECTOR + " from "
                        + LogPolicy.MIN_CONTAINER_SIZE + " to " + LogPolicy.MAX_CONTAINER_SIZE);
            }
        }

        @Override
        public String toString() {
            return "multiple of " + Layout.SECTOR + " in [" + LogPolicy.MIN_CONTAINER_SIZE + ",...,"
                    + LogPolicy.MAX_CONTAINER_SIZE + "]";
        }
    }

}

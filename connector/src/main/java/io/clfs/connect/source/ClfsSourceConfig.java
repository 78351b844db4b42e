package io.clfs.connect.source;

import io.clfs.connect.ClfsConnectorConfig;
import io.clfs.connect.ConfigValidators;
import io.clfs.log.Lsn;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The source connector's configuration. Key names are the project's public contract
 * ({@code shared/design/kafka-mapping.md}); framework keys ({@code errors.*},
 * {@code transaction.boundary}, converters) belong to Connect and are not redefined here. Rules
 * that span two keys are checked by {@link SourceKeyRules}, which both the constructor and the
 * connector's {@code validate} use, so that the validate endpoint names the key at fault.
 */
public final class ClfsSourceConfig extends ClfsConnectorConfig {
    private static final String GROUP_LOGS = "Logs";
    private static final String GROUP_REPLAY = "Replay";
    private static final String GROUP_PACE = "Pace";
    private static final String GROUP_FORMAT = "Format";

    public static final String LOGS = "clfs.replay.logs";
    public static final String DISCOVERY_INTERVAL_MS = "clfs.replay.discovery.interval.ms";
    public static final String TOPIC = "clfs.replay.topic";
    public static final String PRESERVE_PARTITION = "clfs.replay.preserve.partition";
    public static final String MODE = "clfs.replay.mode";
    public static final String FROM_LSN = "clfs.replay.from.lsn";
    public static final String TO_LSN = "clfs.replay.to.lsn";
    public static final String FROM_TIMESTAMP = "clfs.replay.from.timestamp";
    public static final String TO_TIMESTAMP = "clfs.replay.to.timestamp";
    public static final String FROM_OFFSET = "clfs.replay.from.offset";
    public static final String TO_OFFSET = "clfs.replay.to.offset";
    public static final String TOPIC_MAP = "clfs.replay.topic.map";
    public static final String PARTITION_MAPPING = "clfs.replay.partition.mapping";
    public static final String BOOTSTRAP_SERVERS = "clfs.replay.bootstrap.servers";
    /** Settings of the Admin client the preflight uses (security), under this prefix. */
    public static final String ADMIN_PREFIX = "clfs.replay.admin.";
    public static final String HEADERS = "clfs.replay.headers";
    public static final String BATCH_SIZE = "clfs.replay.batch.size";
    public static final String BATCH_MAX_BYTES = "clfs.replay.batch.max.bytes";
    public static final String POLL_INTERVAL_MS = "clfs.replay.poll.interval.ms";
    public static final String MAX_RECORDS_PER_SECOND = "clfs.replay.max.records.per.second";
    public static final String MAX_RECORD_BYTES = "clfs.replay.max.record.bytes";
    public static final String ARCHIVE_INTERVAL_MS = "clfs.archive.tail.interval.ms";
    /** Set by the connector in each task's configuration: the log directory names the task replays. */
    public static final String TASK_LOGS = "clfs.replay.task.logs";

    public static final String DEFAULT_TOPIC = "${topic}.replay";
    public static final String TOPIC_PLACEHOLDER = "${topic}";
    public static final String PARTITION_PLACEHOLDER = "${partition}";
    /** Kafka's default producer {@code max.request.size}. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;

    /** What the connector replays. */
    public enum Mode {
        /** The records the sink released and no archiver took yet: [archive tail, base LSN); moves the archive tail. */
        ARCHIVE,
        /** An explicit LSN range [from, to), once; tails untouched. */
        RANGE
    }

    /** Where a record goes when its target topic has fewer partitions than its origin. */
    public enum PartitionMapping {
        /** Refuse to start: the replay would need partitions the target does not have. */
        NONE,
        /** By key, as Kafka's default partitioner: murmur2 of the key bytes; a null key by origin partition modulo. */
        HASH,
        /** Origin partition modulo the target's partition count. */
        MODULO
    }

    public static final ConfigDef CONFIG_DEF = configDef();

    public ClfsSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        List<SourceKeyRules.KeyError> errors = SourceKeyRules.errors(this::getString);
        if (!errors.isEmpty()) {
            SourceKeyRules.KeyError e = errors.get(0);
            throw new ConfigException(e.key(), getString(e.key()), e.message());
        }
    }

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        defineLogDir(def, "Directory holding the logs to replay, one per sub-directory (the sink's "
                + "<clfs.log.dir>/<topic>-<partition>/). Each log is a source partition; logs that appear later"
                + " are picked up. Every worker that may run the tasks must see the same directory.", GROUP_LOGS,
                ++order);
        def.define(LOGS, Type.LIST, "", Importance.LOW,
                "Names of the log sub-directories to replay (for example orders-3); empty for every log in "
                        + LOG_DIR + ".", GROUP_LOGS, ++order, Width.LONG, "Logs");
        def.define(DISCOVERY_INTERVAL_MS, Type.LONG, 10_000L, ConfigDef.Range.atLeast(100), Importance.LOW,
                "How often the connector looks for logs that appeared or went away in " + LOG_DIR
                        + "; a change reassigns the logs to the tasks.",
                GROUP_LOGS, ++order, Width.SHORT, "Discovery interval (ms)");

        order = 0;
        def.define(MODE, Type.STRING, "archive", ConfigValidators.lowerCaseEnum(Mode.values()), Importance.HIGH,
                "'archive' replays, in LSN order, the records the sink released (from the archive tail up to, not"
                        + " including, the base LSN), keeps following the base, and moves the archive tail past what"
                        + " Kafka took and Connect committed, so the log reclaims that space. 'range' replays ["
                        + FROM_LSN + ", " + TO_LSN + ") of every log once, then produces nothing more; tails are"
                        + " untouched.",
                GROUP_REPLAY, ++order, Width.SHORT, "Replay mode");
        def.define(FROM_LSN, Type.STRING, "", new SourceValidators.LsnValidator(), Importance.MEDIUM,
                "Range mode: the first LSN to replay, in canonical form cccccccc:oooooooo (a record or a block"
                        + " start); empty for the lower tail of each log.",
                GROUP_REPLAY, ++order, Width.MEDIUM, "From LSN");
        def.define(TO_LSN, Type.STRING, "", new SourceValidators.LsnValidator(), Importance.MEDIUM,
                "Range mode: the LSN to stop before, in canonical form cccccccc:oooooooo. Records at or above it are"
                        + " not replayed; the task waits for the log to reach it. Required unless a timestamp or"
                        + " offset range is given; then empty means the end of each log when the task starts.",
                GROUP_REPLAY, ++order, Width.MEDIUM, "To LSN");
        def.define(FROM_TIMESTAMP, Type.STRING, "", new SourceValidators.TimestampValidator(), Importance.MEDIUM,
                "Range mode: replay only records whose timestamp is at or after this (epoch ms, or ISO-8601 with a"
                        + " zone offset such as 2024-05-01T14:00:00Z). Timestamps are not monotonic: every record"
                        + " read is filtered; the read starts at the last sink restart area whose newest timestamp"
                        + " is below this. Records without a timestamp are never in a time range.",
                GROUP_REPLAY, ++order, Width.MEDIUM, "From timestamp");
        def.define(TO_TIMESTAMP, Type.STRING, "", new SourceValidators.TimestampValidator(), Importance.MEDIUM,
                "Range mode: replay only records whose timestamp is before this (exclusive); same forms as "
                        + FROM_TIMESTAMP + ".",
                GROUP_REPLAY, ++order, Width.MEDIUM, "To timestamp");
        def.define(FROM_OFFSET, Type.STRING, "", new SourceValidators.OffsetValidator(), Importance.MEDIUM,
                "Range mode: replay only records whose origin offset (in their origin partition: each log's"
                        + " own) is at or above this.",
                GROUP_REPLAY, ++order, Width.SHORT, "From origin offset");
        def.define(TO_OFFSET, Type.STRING, "", new SourceValidators.OffsetValidator(), Importance.MEDIUM,
                "Range mode: replay only records whose origin offset is below this (exclusive).",
                GROUP_REPLAY, ++order, Width.SHORT, "To origin offset");
        def.define(TOPIC, Type.STRING, DEFAULT_TOPIC, new SourceValidators.TopicTemplateValidator(), Importance.HIGH,
                "The topic a record is replayed into: a template where " + TOPIC_PLACEHOLDER + " is the record's"
                        + " origin topic and " + PARTITION_PLACEHOLDER + " its origin partition. The default keeps"
                        + " the origin name with a suffix, so a sink and a source on one cluster make no loop.",
                GROUP_REPLAY, ++order, Width.MEDIUM, "Replay topic");
        def.define(TOPIC_MAP, Type.STRING, "", new SourceValidators.TopicMapValidator(), Importance.HIGH,
                "Target topics by origin topic, origin:target pairs separated by commas (orders:orders-restored,"
                        + "payments:payments-restored). A mapped topic goes to its target; any other to "
                        + TOPIC + ". Each origin must be a topic the logs hold.",
                GROUP_REPLAY, ++order, Width.LONG, "Topic map");
        def.define(PARTITION_MAPPING, Type.STRING, "none", ConfigValidators.lowerCaseEnum(PartitionMapping.values()),
                Importance.MEDIUM, "When a target topic has fewer partitions than its origin (" + PRESERVE_PARTITION
                        + "=true): 'none' refuses to start, naming both topics and counts; 'hash' maps every record"
                        + " of that topic by key as Kafka's default partitioner does (murmur2 of the key bytes; a null"
                        + " key goes to its origin partition modulo the count); 'modulo' maps origin partition p to"
                        + " p modulo the count. Needs " + BOOTSTRAP_SERVERS + " to learn the count.",
                GROUP_REPLAY, ++order, Width.SHORT, "Partition mapping");
        def.define(BOOTSTRAP_SERVERS, Type.STRING, "", Importance.MEDIUM,
                "The target cluster, for the preflight checks before the first record is produced (partition"
                        + " count, max.message.bytes, retention, compaction; settings of this Admin client under '"
                        + ADMIN_PREFIX + "'). Empty: the checks are skipped (with a warning) and Kafka's own errors"
                        + " are what a mismatch gives.",
                GROUP_REPLAY, ++order, Width.LONG, "Preflight bootstrap servers");
        def.define(PRESERVE_PARTITION, Type.BOOLEAN, true, Importance.MEDIUM,
                "Replay each record into its origin partition (the replay topic needs at least as many"
                        + " partitions as the origin topic); with false the producer's partitioner chooses.",
                GROUP_REPLAY, ++order, Width.SHORT, "Preserve partition");
        def.define(HEADERS, Type.BOOLEAN, true, Importance.LOW,
                "Add the headers clfs.lsn (canonical LSN), clfs.origin.topic, clfs.origin.partition and"
                        + " clfs.origin.offset (UTF-8 text, decimal numbers) after the record's own headers.",
                GROUP_REPLAY, ++order, Width.SHORT, "Replay headers");

        order = 0;
        def.define(BATCH_SIZE, Type.INT, 10_000, ConfigDef.Range.between(1, 1_000_000), Importance.MEDIUM,
                "Most records one poll returns (also bounded by " + BATCH_MAX_BYTES + "). With exactly-once"
                        + " support and transaction.boundary=poll, one poll is one transaction.",
                GROUP_PACE, ++order, Width.SHORT, "Batch size");
        def.define(BATCH_MAX_BYTES, Type.LONG, 4L << 20, ConfigDef.Range.between(1, 1L << 30), Importance.LOW,
                "Most bytes of logged records (envelopes) one poll returns; a poll returns at least one record."
                        + " Bounds the memory a poll's records hold in the worker whatever their size.",
                GROUP_PACE, ++order, Width.SHORT, "Batch bytes");
        def.define(POLL_INTERVAL_MS, Type.LONG, 1_000L, ConfigDef.Range.between(1, 3_600_000), Importance.LOW,
                "How long a poll that found nothing to replay waits before it returns (and how often the logs'"
                        + " base LSNs are then looked at again).",
                GROUP_PACE, ++order, Width.SHORT, "Poll interval (ms)");
        def.define(MAX_RECORDS_PER_SECOND, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.LOW,
                "Most records a task replays per second, over all its logs; 0 for no limit.",
                GROUP_PACE, ++order, Width.SHORT, "Rate limit (records/s)");
        def.define(MAX_RECORD_BYTES, Type.INT, DEFAULT_MAX_RECORD_BYTES, ConfigDef.Range.atLeast(-1),
                Importance.MEDIUM, "A record whose key, value and headers take more bytes than this is refused"
                        + " before it reaches Kafka: the task fails naming its LSN and size, or, with"
                        + " errors.tolerance=all, logs, counts and skips it. Set it to the producer's"
                        + " max.request.size and the replay topic's max.message.bytes (both 1 MiB by default);"
                        + " -1 leaves the check to Kafka.",
                GROUP_PACE, ++order, Width.SHORT, "Max record bytes");
        def.define(ARCHIVE_INTERVAL_MS, Type.LONG, 1_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                "Archive mode: after Connect committed offsets, the task reads the committed LSNs back from"
                        + " Connect's offset store and moves the archive tails; at most this often.",
                GROUP_PACE, ++order, Width.SHORT, "Archive tail interval (ms)");

        order = 0;
        defineFormatConverter(def, "Converter that rebuilds keys, values and header values the sink stored as"
                + " converted data (from a schema-aware converter); use the sink's " + FORMAT_CONVERTER + " and"
                + " settings, prefixed '" + FORMAT_CONVERTER_PREFIX + "'. Bytes are replayed exactly as journaled.",
                GROUP_FORMAT, ++order);

        def.defineInternal(TASK_LOGS, Type.LIST, "", Importance.LOW);
        return def;
    }

    /** The configured log names; empty for all. */
    public List<String> logs() {
        return getList(LOGS).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public long discoveryIntervalMs() {
        return getLong(DISCOVERY_INTERVAL_MS);
    }

    public Mode mode() {
        return Mode.valueOf(getString(MODE).trim().toUpperCase(Locale.ROOT));
    }

    /** Range mode: the from-LSN, or {@link Lsn#INVALID} for the lower tail. */
    public long fromLsn() {
        String s = getString(FROM_LSN).trim();
        return s.isEmpty() ? Lsn.INVALID : Lsn.parse(s);
    }

    /** Range mode: the to-LSN (exclusive), or {@link Lsn#INVALID} for each log's end when the task starts. */
    public long toLsn() {
        String s = getString(TO_LSN).trim();
        return s.isEmpty() ? Lsn.INVALID : Lsn.parse(s);
    }

    /** Range mode: the timestamp and origin offset ranges; {@link ReplaySelection#ALL} in archive mode. */
    public ReplaySelection selection() {
        return SourceKeyRules.selection(this::getString);
    }

    /** Target topics by origin topic ({@value #TOPIC_MAP}); empty for none. */
    public Map<String, String> topicMap() {
        return SourceValidators.parseTopicMap(getString(TOPIC_MAP));
    }

    public ReplayTopics replayTopics() {
        return new ReplayTopics(topicMap(), topicTemplate());
    }

    public PartitionMapping partitionMapping() {
        return PartitionMapping.valueOf(getString(PARTITION_MAPPING).trim().toUpperCase(Locale.ROOT));
    }

    /** The Admin client settings of the preflight, or empty when no bootstrap servers are configured. */
    public Map<String, Object> adminConfig() {
        return adminConfig(BOOTSTRAP_SERVERS, ADMIN_PREFIX);
    }

    public TopicTemplate topicTemplate() {
        return new TopicTemplate(getString(TOPIC));
    }

    public boolean preservePartition() {
        return getBoolean(PRESERVE_PARTITION);
    }

    public boolean replayHeaders() {
        return getBoolean(HEADERS);
    }

    public int batchSize() {
        return getInt(BATCH_SIZE);
    }

    public long batchMaxBytes() {
        return getLong(BATCH_MAX_BYTES);
    }

    public long pollIntervalMs() {
        return getLong(POLL_INTERVAL_MS);
    }

    public long maxRecordsPerSecond() {
        return getLong(MAX_RECORDS_PER_SECOND);
    }

    public int maxRecordBytes() {
        return getInt(MAX_RECORD_BYTES);
    }

    public long archiveIntervalMs() {
        return getLong(ARCHIVE_INTERVAL_MS);
    }

    /** The logs assigned to this task (task configurations only). */
    public List<String> taskLogs() {
        return getList(TASK_LOGS);
    }
}

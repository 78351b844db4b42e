package io.clfs.connect.source;

import io.clfs.connect.ClfsConnectorConfig;
import io.clfs.connect.ConfigValidators;
import io.clfs.log.Lsn;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The source connector's configuration. Key names are the project's public contract
 * ({@code shared/design/kafka-mapping.md}); framework keys ({@code errors.*},
 * {@code transaction.boundary}, converters) belong to Connect and are not redefined here. Rules
 * that span two keys are checked by {@link #crossKeyErrors}, which both the constructor and the
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
    public static final String HEADERS = "clfs.replay.headers";
    public static final String BATCH_SIZE = "clfs.replay.batch.size";
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

    public static final ConfigDef CONFIG_DEF = configDef();

    public ClfsSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        List<KeyError> errors = crossKeyErrors(mode(), getString(FROM_LSN), getString(TO_LSN));
        if (!errors.isEmpty()) {
            KeyError e = errors.get(0);
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
        def.define(FROM_LSN, Type.STRING, "", new LsnValidator(), Importance.MEDIUM,
                "Range mode: the first LSN to replay, in canonical form cccccccc:oooooooo (a record or a block"
                        + " start); empty for the lower tail of each log.",
                GROUP_REPLAY, ++order, Width.MEDIUM, "From LSN");
        def.define(TO_LSN, Type.STRING, "", new LsnValidator(), Importance.MEDIUM,
                "Range mode (required there): the LSN to stop before, in canonical form cccccccc:oooooooo. Records"
                        + " at or above it are not replayed; the task waits for the log to reach it.",
                GROUP_REPLAY, ++order, Width.MEDIUM, "To LSN");
        def.define(TOPIC, Type.STRING, DEFAULT_TOPIC, new TopicTemplateValidator(), Importance.HIGH,
                "The topic a record is replayed into: a template where " + TOPIC_PLACEHOLDER + " is the record's"
                        + " origin topic and " + PARTITION_PLACEHOLDER + " its origin partition. The default keeps"
                        + " the origin name with a suffix, so a sink and a source on one cluster make no loop.",
                GROUP_REPLAY, ++order, Width.MEDIUM, "Replay topic");
        def.define(PRESERVE_PARTITION, Type.BOOLEAN, true, Importance.MEDIUM,
                "Replay each record into its origin partition (the replay topic needs at least as many"
                        + " partitions as the origin topic); with false the producer's partitioner chooses.",
                GROUP_REPLAY, ++order, Width.SHORT, "Preserve partition");
        def.define(HEADERS, Type.BOOLEAN, true, Importance.LOW,
                "Add the headers clfs.lsn (canonical LSN), clfs.origin.topic, clfs.origin.partition and"
                        + " clfs.origin.offset (UTF-8 text, decimal numbers) after the record's own headers.",
                GROUP_REPLAY, ++order, Width.SHORT, "Replay headers");

        order = 0;
        def.define(BATCH_SIZE, Type.INT, 1_000, ConfigDef.Range.between(1, 1_000_000), Importance.MEDIUM,
                "Most records one poll returns.", GROUP_PACE, ++order, Width.SHORT, "Batch size");
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

    /** A rule broken by the value of {@code key}. */
    record KeyError(String key, String message) {
    }

    /**
     * The rules that span keys: range mode needs a to-LSN above the from-LSN, and the LSN keys mean
     * nothing in archive mode (a likely mistake, so refused). Each error names its key.
     */
    static List<KeyError> crossKeyErrors(Mode mode, String from, String to) {
        List<KeyError> errors = new ArrayList<>();
        if (mode == Mode.ARCHIVE) {
            if (!from.isBlank()) {
                errors.add(new KeyError(FROM_LSN, FROM_LSN + " is only used with " + MODE + "=range"));
            }
            if (!to.isBlank()) {
                errors.add(new KeyError(TO_LSN, TO_LSN + " is only used with " + MODE + "=range"));
            }
            return errors;
        }
        if (to.isBlank()) {
            errors.add(new KeyError(TO_LSN, TO_LSN + " is required with " + MODE + "=range"));
        } else if (!from.isBlank() && !Lsn.less(Lsn.parse(from.trim()), Lsn.parse(to.trim()))) {
            errors.add(new KeyError(TO_LSN, TO_LSN + " (" + to.trim() + ") must be above " + FROM_LSN + " ("
                    + from.trim() + ")"));
        }
        return errors;
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

    /** Range mode: the to-LSN (exclusive). */
    public long toLsn() {
        return Lsn.parse(getString(TO_LSN).trim());
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


    /** Empty, or an LSN in canonical text. */
    static final class LsnValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String s = value == null ? "" : value.toString().trim();
            if (s.isEmpty()) {
                return;
            }
            try {
                long lsn = Lsn.parse(s);
                if (lsn == Lsn.INVALID) {
                    throw new ConfigException(name, value, "LSN_INVALID (ffffffff:ffffffff) is no position in a log");
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "empty, or an LSN cccccccc:oooooooo (8 lower-case hex digits each)";
        }
    }

    static final class TopicTemplateValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String problem = TopicTemplate.problem(value == null ? null : value.toString());
            if (problem != null) {
                throw new ConfigException(name, value, problem);
            }
        }

        @Override
        public String toString() {
            return "a topic name that may hold " + TOPIC_PLACEHOLDER + " and " + PARTITION_PLACEHOLDER;
        }
    }

}

package io.clfs.streams.app;

import io.clfs.log.LogPolicy;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The application's configuration: one properties file holding the {@code clfs.*} settings defined
 * here and every Kafka Streams setting ({@code application.id}, {@code bootstrap.servers},
 * {@code processing.guarantee}, ...), which go to {@link StreamsConfig} unchanged. Both are
 * validated up front, so a bad file fails with a message naming the key before anything connects.
 */
public final class AppConfig extends AbstractConfig {
    public static final String PREFIX = "clfs.";

    public static final String TOPOLOGY = "clfs.topology";
    public static final String JOURNAL_TOPICS = "clfs.journal.topics";
    public static final String JOURNAL_TOPIC_PATTERN = "clfs.journal.topic.pattern";
    public static final String JOURNAL_DIR = "clfs.journal.dir";
    public static final String JOURNAL_RECEIPT_TOPIC = "clfs.journal.receipt.topic";
    public static final String JOURNAL_STORE_NAME = "clfs.journal.store.name";
    public static final String JOURNAL_ARCHIVE = "clfs.journal.archive";
    public static final String JOURNAL_CONTAINER_BYTES = "clfs.journal.container.bytes";
    public static final String JOURNAL_BLOCK_BYTES = "clfs.journal.block.bytes";
    public static final String JOURNAL_MAX_CONTAINERS = "clfs.journal.max.containers";
    public static final String RESTORE_TOPICS = "clfs.restore.topics";
    public static final String RESTORE_TOPIC_PATTERN = "clfs.restore.topic.pattern";
    public static final String RESTORE_DEDUP_STORE_NAME = "clfs.restore.dedup.store.name";
    public static final String SHUTDOWN_TIMEOUT_MS = "clfs.shutdown.timeout.ms";
    public static final String THREAD_REPLACEMENTS_MAX = "clfs.thread.replacements.max";
    public static final String THREAD_REPLACEMENTS_WINDOW_MS = "clfs.thread.replacements.window.ms";

    /** Which topology the application runs. */
    public enum Kind { JOURNAL, RESTORE }

    private static final LogPolicy DEFAULT_POLICY = LogPolicy.defaults();

    static final ConfigDef DEFINITION = new ConfigDef()
            .define(TOPOLOGY, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.ValidString.in("journal", "restore"),
                    Importance.HIGH, "The topology to run: 'journal' (input topics -> local journal -> receipts) or"
                            + " 'restore' (replay topic -> origin topics).")
            .define(JOURNAL_TOPICS, Type.LIST, List.of(), Importance.HIGH,
                    "journal: the input topics to journal (or use " + JOURNAL_TOPIC_PATTERN + ").")
            .define(JOURNAL_TOPIC_PATTERN, Type.STRING, null, Importance.HIGH,
                    "journal: a regular expression for the input topics (instead of " + JOURNAL_TOPICS + ").")
            .define(JOURNAL_DIR, Type.STRING, null, Importance.HIGH,
                    "journal: the directory of the local journal log (created on first use). Keep it apart from"
                            + " state.dir: KafkaStreams#cleanUp deletes that one.")
            .define(JOURNAL_RECEIPT_TOPIC, Type.STRING, null, Importance.HIGH,
                    "journal: the topic that gets one receipt per input record: the original key, and as value"
                            + " JSON with the LSN and the record's origin topic, partition and offset.")
            .define(JOURNAL_STORE_NAME, Type.STRING, "clfs-journal", new ConfigDef.NonEmptyString(), Importance.LOW,
                    "journal: the name of the journal state store (also the metric tag clfs-journal-id).")
            .define(JOURNAL_ARCHIVE, Type.BOOLEAN, false, Importance.LOW,
                    "journal: create the log non-ephemeral, with an archive tail for the clfs archive tool."
                            + " Fixed when the log is created.")
            .define(JOURNAL_CONTAINER_BYTES, Type.LONG, DEFAULT_POLICY.containerSize(), ConfigDef.Range.atLeast(
                            LogPolicy.MIN_CONTAINER_SIZE), Importance.MEDIUM,
                    "journal: bytes per container file, a multiple of 512. Fixed when the log is created.")
            .define(JOURNAL_BLOCK_BYTES, Type.INT, DEFAULT_POLICY.blockSize(), ConfigDef.Range.atLeast(512),
                    Importance.LOW, "journal: bytes per marshalling block, a multiple of 512. Fixed when the log is created.")
            .define(JOURNAL_MAX_CONTAINERS, Type.INT, DEFAULT_POLICY.maxContainers(), ConfigDef.Range.atLeast(2),
                    Importance.MEDIUM, "journal: the most containers the log grows to; then journaling fails with a"
                            + " log-full error (the journal never drops records).")
            .define(RESTORE_TOPICS, Type.LIST, List.of(), Importance.HIGH,
                    "restore: the replay topics written by ClfsSourceConnector (or use " + RESTORE_TOPIC_PATTERN + ").")
            .define(RESTORE_TOPIC_PATTERN, Type.STRING, null, Importance.HIGH,
                    "restore: a regular expression for the replay topics (instead of " + RESTORE_TOPICS + ").")
            .define(RESTORE_DEDUP_STORE_NAME, Type.STRING, "clfs-restore-lsns", new ConfigDef.NonEmptyString(),
                    Importance.LOW, "restore: the state store remembering the LSNs already restored.")
            .define(SHUTDOWN_TIMEOUT_MS, Type.LONG, 30_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "How long a shutdown (SIGTERM) waits for Streams to commit and close.")
            .define(THREAD_REPLACEMENTS_MAX, Type.INT, 5, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "A stream thread that dies of an error is replaced, at most this many times within "
                            + THREAD_REPLACEMENTS_WINDOW_MS + "; past that the application shuts down.")
            .define(THREAD_REPLACEMENTS_WINDOW_MS, Type.LONG, 600_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "The window for " + THREAD_REPLACEMENTS_MAX + ".");

    private final Map<String, Object> streamsSettings;

    private AppConfig(Map<String, ?> clfsSettings, Map<String, Object> streamsSettings) {
        super(DEFINITION, clfsSettings, false);
        this.streamsSettings = streamsSettings;
    }

    /** Reads and validates a properties file. */
    public static AppConfig load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new ConfigException("configuration file " + file.toAbsolutePath() + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read configuration file " + file.toAbsolutePath() + ": " + e.getMessage());
        }
        Map<String, Object> settings = new HashMap<>();
        p.stringPropertyNames().forEach(k -> settings.put(k, p.getProperty(k).trim()));
        return of(settings);
    }

    /** Validates settings: {@code clfs.*} keys against this class, the rest as Kafka Streams settings. */
    public static AppConfig of(Map<String, ?> settings) {
        Map<String, Object> clfs = new HashMap<>();
        Map<String, Object> streams = new HashMap<>();
        settings.forEach((k, v) -> (k.startsWith(PREFIX) ? clfs : streams).put(k, v));
        TreeSet<String> unknown = new TreeSet<>(clfs.keySet());
        unknown.removeAll(DEFINITION.names());
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown setting(s) " + unknown + "; the clfs.* settings are "
                    + new TreeSet<>(DEFINITION.names()));
        }
        AppConfig c = new AppConfig(clfs, streams);
        c.validate();
        return c;
    }

    private void validate() {
        new StreamsConfig(streamsSettings); // throws a ConfigException naming a bad or missing Streams setting
        if (kind() == Kind.JOURNAL) {
            checkTopics(JOURNAL_TOPICS, JOURNAL_TOPIC_PATTERN);
            require(JOURNAL_DIR);
            require(JOURNAL_RECEIPT_TOPIC);
            journalPolicy();
        } else {
            checkTopics(RESTORE_TOPICS, RESTORE_TOPIC_PATTERN);
        }
    }

    private void checkTopics(String listKey, String patternKey) {
        boolean list = !getList(listKey).isEmpty();
        String pattern = getString(patternKey);
        if (list == (pattern != null)) {
            throw new ConfigException("set exactly one of " + listKey + " and " + patternKey + " for topology '"
                    + getString(TOPOLOGY) + "'" + (list ? " (both are set)" : " (neither is set)"));
        }
        if (pattern != null) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new ConfigException(patternKey, pattern, "not a regular expression: " + e.getDescription());
            }
        }
    }

    private void require(String key) {
        String v = getString(key);
        if (v == null || v.isBlank()) {
            throw new ConfigException("missing " + key + ": topology '" + getString(TOPOLOGY) + "' needs it");
        }
    }

    public Kind kind() {
        return Kind.valueOf(getString(TOPOLOGY).toUpperCase(Locale.ROOT));
    }

    /** The input topics, or null when a pattern selects them. */
    public List<String> topics() {
        List<String> t = getList(kind() == Kind.JOURNAL ? JOURNAL_TOPICS : RESTORE_TOPICS);
        return t.isEmpty() ? null : t;
    }

    /** The input topic pattern, or null when topics are listed. */
    public Pattern topicPattern() {
        String p = getString(kind() == Kind.JOURNAL ? JOURNAL_TOPIC_PATTERN : RESTORE_TOPIC_PATTERN);
        return p == null ? null : Pattern.compile(p);
    }

    public Path journalDir() {
        return Path.of(getString(JOURNAL_DIR));
    }

    public String receiptTopic() {
        return getString(JOURNAL_RECEIPT_TOPIC);
    }

    public String journalStoreName() {
        return getString(JOURNAL_STORE_NAME);
    }

    public boolean journalArchive() {
        return getBoolean(JOURNAL_ARCHIVE);
    }

    public LogPolicy journalPolicy() {
        try {
            return DEFAULT_POLICY.withContainerSize(getLong(JOURNAL_CONTAINER_BYTES))
                    .withBlockSize(getInt(JOURNAL_BLOCK_BYTES))
                    .withContainers(DEFAULT_POLICY.minContainers(), getInt(JOURNAL_MAX_CONTAINERS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid journal log policy (" + JOURNAL_CONTAINER_BYTES + ", "
                    + JOURNAL_BLOCK_BYTES + ", " + JOURNAL_MAX_CONTAINERS + "): " + e.getMessage());
        }
    }

    public String dedupStoreName() {
        return getString(RESTORE_DEDUP_STORE_NAME);
    }

    public long shutdownTimeoutMs() {
        return getLong(SHUTDOWN_TIMEOUT_MS);
    }

    public int threadReplacementsMax() {
        return getInt(THREAD_REPLACEMENTS_MAX);
    }

    public long threadReplacementsWindowMs() {
        return getLong(THREAD_REPLACEMENTS_WINDOW_MS);
    }

    /** The Kafka Streams settings, for {@code new KafkaStreams(topology, props)}. */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.putAll(streamsSettings);
        return p;
    }

    public String processingGuarantee() {
        return new StreamsConfig(streamsSettings).getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
    }

    /** The settings documented, for {@code --help-config}. */
    public static String describe() {
        return DEFINITION.toRst();
    }
}

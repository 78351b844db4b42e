package io.clfs.connect.source;

import io.clfs.connect.envelope.TopicOrigin;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The checks of a replay before its first record: the topic map names only origin topics the logs
 * hold, and, with {@code clfs.replay.bootstrap.servers}, every target topic passes
 * {@link Preflight} (range mode surveys the range first). At task start ({@link #run}) a problem
 * refuses the task, and the checks yield the partition mapper: which targets have fewer partitions
 * than their origin and are mapped. At validation ({@link #problems}) each problem is reported on
 * the config key at fault. The origin's partition count is the highest partition the logs hold + 1,
 * or the count the sink recorded when higher; a missing target topic whose origin the logs recorded
 * is created at task start mirroring it, unless the connector has KIP-158 topic-creation settings
 * (then Connect creates it with those).
 */
final class ReplayPreflight {
    private static final Logger log = LoggerFactory.getLogger(ReplayPreflight.class);
    private static final String TOPIC_CREATION_PARTITIONS = "topic.creation.default.partitions";

    /** A problem and the config key it is reported on. */
    record Problem(String key, String message) {
    }

    /** The target topics checked: their problems, the partition counts of the ones to map, and the ones to create. */
    private record Checked(List<Problem> problems, Map<String, Integer> mapped, List<TargetTopic> toCreate) {
    }

    private ReplayPreflight() {
    }

    /**
     * @param directoryLogs every log in the directory (the origin's partitions the logs hold)
     * @param taskLogs      this task's logs, by name
     */
    static PartitionMapper run(ClfsSourceConfig config, Map<String, String> props, List<String> directoryLogs,
                               Map<String, LogStream> taskLogs, long nowMs) {
        Map<String, Integer> originPartitions = originPartitions(directoryLogs);
        checkTopicMap(config, originPartitions);
        Map<String, TopicOrigin> recorded = recorded(taskLogs, originPartitions);
        Map<String, Object> adminConfig = config.adminConfig();
        if (adminConfig.isEmpty()) {
            if (config.partitionMapping() != ClfsSourceConfig.PartitionMapping.NONE) {
                throw new ConnectException(ClfsSourceConfig.PARTITION_MAPPING + "=" + config.partitionMapping()
                        .name().toLowerCase(java.util.Locale.ROOT) + " needs " + ClfsSourceConfig.BOOTSTRAP_SERVERS
                        + " to learn the target topics' partition counts");
            }
            log.warn("No {}: the replay target topics are not checked before replay (partition count, max.message.bytes,"
                    + " retention, compaction); a mismatch shows as Kafka's error", ClfsSourceConfig.BOOTSTRAP_SERVERS);
            return PartitionMapper.preserving(config.preservePartition());
        }
        Checked checked = checkTargets(config, props, originPartitions, recorded, taskLogs, nowMs);
        if (!checked.problems().isEmpty()) {
            throw new ConnectException("refusing to replay: " + String.join("; ",
                    checked.problems().stream().map(Problem::message).toList()));
        }
        MirroredTopics.create(config.adminConfig(), checked.toCreate());
        log.info("Preflight passed for target topic(s) {}", targetsOf(config, taskLogs));
        return new PartitionMapper(config.preservePartition(), config.partitionMapping(), checked.mapped());
    }

    /**
     * The checks {@code validate()} can make, over every log of the directory, read-only: none without
     * {@code clfs.replay.bootstrap.servers}, nor while the directory holds no log (not journaled yet, or
     * not visible from this worker): the task checks at start.
     */
    static List<Problem> problems(ClfsSourceConfig config, Map<String, String> props, long nowMs) {
        LogDirectory directory = new LogDirectory(config.logDir(), config.logs());
        List<String> names = config.adminConfig().isEmpty() ? List.of() : directory.list();
        if (names.isEmpty()) {
            return List.of();
        }
        Map<String, Integer> originPartitions = originPartitions(names);
        List<Problem> problems = new ArrayList<>();
        try {
            checkTopicMap(config, originPartitions);
        } catch (ConnectException e) {
            problems.add(new Problem(ClfsSourceConfig.TOPIC_MAP, e.getMessage()));
        }
        Map<String, ClfsLog> logs = new LinkedHashMap<>();
        try {
            Map<String, LogStream> streams = new LinkedHashMap<>();
            for (String name : names) {
                ClfsLog clfs = ClfsLog.openReadOnly(directory.dirOf(name));
                logs.put(name, clfs);
                streams.put(name, clfs.stream());
            }
            problems.addAll(checkTargets(config, props, originPartitions, recorded(streams, originPartitions), streams,
                    nowMs).problems());
        } catch (ConnectException e) {
            problems.add(new Problem(ClfsSourceConfig.BOOTSTRAP_SERVERS, e.getMessage()));
        } catch (RuntimeException e) {
            problems.add(new Problem(ClfsSourceConfig.LOG_DIR, "cannot read the logs in " + config.logDir()
                    + " for the preflight: " + e.getMessage()));
        } finally {
            logs.values().forEach(ClfsLog::close);
        }
        return problems;
    }

    private static Map<String, Integer> originPartitions(List<String> directoryLogs) {
        Map<String, Integer> originPartitions = new HashMap<>();
        for (String name : directoryLogs) {
            OriginName o = OriginName.parse(name);
            if (o != null) {
                originPartitions.merge(o.topic(), o.partition() + 1, Math::max);
            }
        }
        return originPartitions;
    }

    /** The origin topics the logs recorded; their partition counts go into {@code originPartitions}. */
    private static Map<String, TopicOrigin> recorded(Map<String, LogStream> logs,
                                                     Map<String, Integer> originPartitions) {
        Map<String, TopicOrigin> recorded = RecordedOrigins.of(logs.values());
        recorded.forEach((topic, o) -> originPartitions.merge(topic, o.partitions(), Math::max));
        return recorded;
    }

    private static Map<String, String> targetsOf(ClfsSourceConfig config, Map<String, LogStream> logs) {
        Map<String, String> originOf = new LinkedHashMap<>();
        ReplayTopics topics = config.replayTopics();
        logs.keySet().forEach(name -> {
            OriginName o = OriginName.parse(name);
            if (o != null) {
                originOf.put(topics.target(o.topic(), o.partition()), o.topic());
            }
        });
        return originOf;
    }

    private static Checked checkTargets(ClfsSourceConfig config, Map<String, String> props,
                                        Map<String, Integer> originPartitions, Map<String, TopicOrigin> recorded,
                                        Map<String, LogStream> logs, long nowMs) {
        Map<String, String> originOf = targetsOf(config, logs);
        Map<String, List<RangeSurvey>> surveys = new LinkedHashMap<>();
        originOf.keySet().forEach(target -> surveys.put(target, new ArrayList<>()));
        if (config.mode() == ClfsSourceConfig.Mode.RANGE) {
            ReplayTopics topics = config.replayTopics();
            logs.forEach((name, stream) -> {
                OriginName o = OriginName.parse(name);
                if (o != null) {
                    surveys.get(topics.target(o.topic(), o.partition())).add(RangeSurvey.of(o.topic(), o.partition(),
                            stream, config.selection(), config.fromLsn(), config.toLsn(), config.replayHeaders()));
                }
            });
        }
        Map<String, TargetTopic> described;
        try (Admin admin = Admin.create(config.adminConfig())) {
            described = TargetTopic.describe(admin, originOf.keySet());
        } catch (IllegalStateException e) {
            throw new ConnectException("preflight of the replay target topics: " + e.getMessage(), e);
        }
        List<Problem> problems = new ArrayList<>();
        Map<String, Integer> mapped = new HashMap<>();
        List<TargetTopic> toCreate = new ArrayList<>();
        for (Map.Entry<String, String> e : originOf.entrySet()) {
            String target = e.getKey();
            int origin = config.preservePartition() ? originPartitions.getOrDefault(e.getValue(), 0) : 0;
            TargetTopic t = described.get(target);
            boolean mirrored = false;
            if (t == null) {
                t = toBeCreated(target, props);
                if (t == null && recorded.containsKey(e.getValue())) {
                    t = MirroredTopics.of(target, recorded.get(e.getValue()));
                    mirrored = true;
                }
                if (t == null) {
                    log.warn("Replay target topic {} does not exist: Kafka creates it on first write, if the broker"
                            + " allows, with its defaults", target);
                    continue;
                }
            }
            // Reported on the key that chose this target.
            String key = config.replayTopics().mappedOrigins().contains(e.getValue()) ? ClfsSourceConfig.TOPIC_MAP
                    : ClfsSourceConfig.TOPIC;
            List<String> found = Preflight.problems(t, e.getValue(), origin, config.partitionMapping(),
                    surveys.get(target), nowMs);
            found.forEach(p -> problems.add(new Problem(key, p)));
            if (mirrored && found.isEmpty()) {
                toCreate.add(t);
            }
            if (t.partitions() < origin) {
                mapped.put(target, t.partitions());
            }
        }
        return new Checked(problems, mapped, toCreate);
    }

    /** A missing target Connect creates (KIP-158 topic creation): its partitions are the connector's setting. */
    private static TargetTopic toBeCreated(String target, Map<String, String> props) {
        String partitions = props.get(TOPIC_CREATION_PARTITIONS);
        if (partitions == null || partitions.isBlank() || partitions.trim().equals("-1")) {
            return null;
        }
        long retention = Long.parseLong(props.getOrDefault("topic.creation.default.retention.ms", "-1").trim());
        return new TargetTopic(target, Integer.parseInt(partitions.trim()), Integer.MAX_VALUE, retention, -1,
                props.getOrDefault("topic.creation.default.cleanup.policy", "delete").contains("compact"));
    }

    private static void checkTopicMap(ClfsSourceConfig config, Map<String, Integer> originPartitions) {
        for (String origin : config.replayTopics().mappedOrigins()) {
            if (!originPartitions.containsKey(origin)) {
                String message = ClfsSourceConfig.TOPIC_MAP + " names origin topic " + origin + ", but no log in "
                        + config.logDir() + " holds it (the logs hold " + new TreeSet<>(originPartitions.keySet()) + ")";
                if (config.mode() == ClfsSourceConfig.Mode.RANGE) {
                    throw new ConnectException(message);
                }
                log.warn("{}; its records are mapped once the sink journals them", message);
            }
        }
    }
}

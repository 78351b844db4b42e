package io.clfs.connect.source;

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
 * The task-start checks of a replay, before its first record: the topic map names only origin
 * topics the logs hold, and, with {@code clfs.replay.bootstrap.servers}, every target topic passes
 * {@link Preflight} (range mode surveys the range first). Yields the partition mapper: which
 * targets have fewer partitions than their origin and are mapped.
 */
final class ReplayPreflight {
    private static final Logger log = LoggerFactory.getLogger(ReplayPreflight.class);
    private static final String TOPIC_CREATION_PARTITIONS = "topic.creation.default.partitions";

    private ReplayPreflight() {
    }

    /**
     * @param directoryLogs every log in the directory (the origin's partitions the logs hold)
     * @param taskLogs      this task's logs, by name
     */
    static PartitionMapper run(ClfsSourceConfig config, Map<String, String> props, List<String> directoryLogs,
                               Map<String, LogStream> taskLogs, long nowMs) {
        Map<String, Integer> originPartitions = new HashMap<>();
        for (String name : directoryLogs) {
            OriginName o = OriginName.parse(name);
            if (o != null) {
                originPartitions.merge(o.topic(), o.partition() + 1, Math::max);
            }
        }
        checkTopicMap(config, originPartitions);
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
        Map<String, String> originOf = new LinkedHashMap<>();
        Map<String, List<RangeSurvey>> surveys = new LinkedHashMap<>();
        ReplayTopics topics = config.replayTopics();
        taskLogs.forEach((name, stream) -> {
            OriginName o = OriginName.parse(name);
            if (o == null) {
                return;
            }
            String target = topics.target(o.topic(), o.partition());
            originOf.put(target, o.topic());
            List<RangeSurvey> list = surveys.computeIfAbsent(target, k -> new ArrayList<>());
            if (config.mode() == ClfsSourceConfig.Mode.RANGE) {
                list.add(RangeSurvey.of(o.topic(), o.partition(), stream, config.selection(), config.fromLsn(),
                        config.toLsn(), config.replayHeaders()));
            }
        });
        Map<String, TargetTopic> described;
        try (Admin admin = Admin.create(adminConfig)) {
            described = TargetTopic.describe(admin, originOf.keySet());
        } catch (IllegalStateException e) {
            throw new ConnectException("preflight of the replay target topics: " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        Map<String, Integer> mapped = new HashMap<>();
        for (Map.Entry<String, String> e : originOf.entrySet()) {
            String target = e.getKey();
            int origin = config.preservePartition() ? originPartitions.getOrDefault(e.getValue(), 0) : 0;
            TargetTopic t = described.get(target);
            if (t == null) {
                t = toBeCreated(target, props);
                if (t == null) {
                    log.warn("Replay target topic {} does not exist: Kafka creates it on first write, if the broker"
                            + " allows, with its defaults", target);
                    continue;
                }
            }
            problems.addAll(Preflight.problems(t, e.getValue(), origin, config.partitionMapping(),
                    surveys.get(target), nowMs));
            if (t.partitions() < origin) {
                mapped.put(target, t.partitions());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConnectException("refusing to replay: " + String.join("; ", problems));
        }
        log.info("Preflight passed for target topic(s) {}", originOf.keySet());
        return new PartitionMapper(config.preservePartition(), config.partitionMapping(), mapped);
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

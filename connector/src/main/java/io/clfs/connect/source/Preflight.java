package io.clfs.connect.source;

import org.apache.kafka.common.config.TopicConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The checks made before a single record is produced into a target topic, each refusing with one
 * message that names the topic, the setting and the fix: partition count against the origin's
 * (unless a mapping is chosen), {@code max.message.bytes} against the largest record,
 * {@code retention.ms} / {@code retention.bytes} against the oldest timestamp and the bytes of a
 * partition (Kafka would delete such records on arrival: a replayed record keeps its timestamp),
 * and {@code cleanup.policy=compact} against null keys (the broker refuses them).
 */
public final class Preflight {
    private Preflight() {
    }

    /**
     * @param origin           the origin topic (one of them, when several map into the target)
     * @param originPartitions partitions of the origin that the logs hold (highest journaled + 1)
     * @param surveys          what the range replay writes into the target, one per log; empty in archive mode
     */
    public static List<String> problems(TargetTopic target, String origin, int originPartitions,
                                        ClfsSourceConfig.PartitionMapping mapping, List<RangeSurvey> surveys,
                                        long nowMs) {
        List<String> problems = new ArrayList<>();
        String t = "target topic " + target.name();
        if (target.partitions() < originPartitions && mapping == ClfsSourceConfig.PartitionMapping.NONE) {
            problems.add(t + " has " + target.partitions() + " partition(s), fewer than the " + originPartitions
                    + " of origin topic " + origin + ": create it with " + originPartitions + " partitions, or set "
                    + ClfsSourceConfig.PARTITION_MAPPING + "=hash or modulo");
        }
        RangeSurvey largest = null;
        RangeSurvey oldest = null;
        long nullKeys = 0;
        for (RangeSurvey s : surveys) {
            if (s.records() > 0 && (largest == null || s.largest() > largest.largest())) {
                largest = s;
            }
            if (s.oldestTimestamp() >= 0 && (oldest == null || s.oldestTimestamp() < oldest.oldestTimestamp())) {
                oldest = s;
            }
            nullKeys += s.nullKeys();
            if (target.retentionBytes() >= 0 && s.bytes() > target.retentionBytes()) {
                problems.add(t + " has " + TopicConfig.RETENTION_BYTES_CONFIG + "=" + target.retentionBytes()
                        + ", less than the " + s.bytes() + " bytes the range holds for origin partition "
                        + s.originTopic() + "-" + s.originPartition() + ": Kafka would delete replayed records at once."
                        + " Set " + TopicConfig.RETENTION_BYTES_CONFIG + "=-1 on " + target.name()
                        + " for the restore");
            }
        }
        if (largest != null && largest.largest() > target.maxMessageBytes()) {
            problems.add(t + " has " + TopicConfig.MAX_MESSAGE_BYTES_CONFIG + "=" + target.maxMessageBytes()
                    + ", less than the largest record of the range (" + largest.largest() + " bytes, "
                    + largest.originTopic() + "-" + largest.originPartition() + " at LSN "
                    + io.clfs.log.Lsn.toString(largest.largestLsn()) + "): set " + TopicConfig.MAX_MESSAGE_BYTES_CONFIG
                    + "=" + largest.largest() + " or more on " + target.name());
        }
        if (oldest != null && target.retentionMs() >= 0 && oldest.oldestTimestamp() < nowMs - target.retentionMs()) {
            problems.add(t + " has " + TopicConfig.RETENTION_MS_CONFIG + "=" + target.retentionMs()
                    + ", but the range holds records stamped " + TimestampText.format(oldest.oldestTimestamp())
                    + " (" + oldest.originTopic() + "-" + oldest.originPartition() + "), older than that: a replayed"
                    + " record keeps its timestamp, so Kafka would delete them on arrival. Set "
                    + TopicConfig.RETENTION_MS_CONFIG + "=-1 on " + target.name() + " (or more than "
                    + (nowMs - oldest.oldestTimestamp()) + ")");
        }
        if (target.compacted() && nullKeys > 0) {
            problems.add(t + " has " + TopicConfig.CLEANUP_POLICY_CONFIG + "=compact, which refuses records without"
                    + " a key, and the range holds " + nullKeys + " of them: replay into a topic with "
                    + TopicConfig.CLEANUP_POLICY_CONFIG + "=delete");
        }
        return problems;
    }
}

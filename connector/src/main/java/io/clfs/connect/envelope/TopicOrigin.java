package io.clfs.connect.envelope;

import org.apache.kafka.common.Uuid;

import java.util.ArrayList;
import java.util.List;

/**
 * The Kafka topic a partition log holds, as the sink last saw it: its topic id (a topic deleted and
 * created again under the same name gets a new one), its partition count, and the topic settings a
 * restore mirrors and checks. Carried by the sink's restart areas (version 2, see
 * {@code docs/format.md}).
 *
 * @param cleanupPolicy Kafka's {@code cleanup.policy} list: "delete", "compact", "compact,delete", or "" (none)
 */
public record TopicOrigin(Uuid topicId, int partitions, int maxMessageBytes, long retentionMs, long retentionBytes,
                          String cleanupPolicy) {
    /** Bits of {@code cleanup_policy} in the restart area. */
    static final int POLICY_DELETE = 1;
    static final int POLICY_COMPACT = 2;

    public TopicOrigin {
        if (topicId == null) {
            throw new IllegalArgumentException("a topic origin needs a topic id");
        }
        cleanupPolicy = policyText(policyBits(cleanupPolicy)); // one spelling, whatever order Kafka reported
    }

    public boolean compacted() {
        return (policyBits(cleanupPolicy) & POLICY_COMPACT) != 0;
    }

    static int policyBits(String policy) {
        int bits = 0;
        for (String p : policy.split(",")) {
            switch (p.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "delete" -> bits |= POLICY_DELETE;
                case "compact" -> bits |= POLICY_COMPACT;
                case "" -> { }
                default -> throw new IllegalArgumentException("unknown cleanup.policy '" + p.trim() + "' in '"
                        + policy + "'");
            }
        }
        return bits;
    }

    static String policyText(int bits) {
        List<String> names = new ArrayList<>();
        if ((bits & POLICY_COMPACT) != 0) {
            names.add("compact");
        }
        if ((bits & POLICY_DELETE) != 0) {
            names.add("delete");
        }
        return String.join(",", names);
    }
}

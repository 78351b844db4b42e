package io.clfs.connect.source;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A replay target topic's partition count and the settings the preflight checks, as the cluster reports them. */
public record TargetTopic(String name, int partitions, int maxMessageBytes, long retentionMs, long retentionBytes,
                          boolean compacted) {
    private static final long TIMEOUT_S = 30;

    /** The topics that exist, by name; a topic that does not exist is absent. */
    public static Map<String, TargetTopic> describe(Admin admin, Collection<String> names) {
        Map<String, TargetTopic> out = new HashMap<>();
        for (String name : names) {
            try {
                TopicDescription d = get(admin.describeTopics(List.of(name)).topicNameValues().get(name));
                ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, name);
                Config c = get(admin.describeConfigs(List.of(r)).values().get(r));
                out.put(name, new TargetTopic(name, d.partitions().size(),
                        Integer.parseInt(value(c, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1048588")),
                        Long.parseLong(value(c, TopicConfig.RETENTION_MS_CONFIG, "604800000")),
                        Long.parseLong(value(c, TopicConfig.RETENTION_BYTES_CONFIG, "-1")),
                        value(c, TopicConfig.CLEANUP_POLICY_CONFIG, "delete").contains(TopicConfig.CLEANUP_POLICY_COMPACT)));
            } catch (UnknownTopicOrPartitionException e) {
                // absent: created on first write (KIP-158 or the broker), or a producer error
            }
        }
        return out;
    }

    private static String value(Config c, String key, String dflt) {
        ConfigEntry e = c.get(key);
        return e == null || e.value() == null ? dflt : e.value();
    }

    private static <T> T get(KafkaFuture<T> f) {
        try {
            return f.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException u) {
                throw u;
            }
            throw new IllegalStateException("cannot describe the replay target topics: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the target cluster did not answer within " + TIMEOUT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the replay target topics", e);
        }
    }
}

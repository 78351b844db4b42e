package io.clfs.connect.source;

import io.clfs.connect.envelope.TopicOrigin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Replay target topics created to mirror the origin topic the sink recorded: its partition count,
 * {@code max.message.bytes} and {@code cleanup.policy}. Retention is not mirrored but unlimited
 * ({@code retention.ms} and {@code retention.bytes} -1): a replayed record keeps its timestamp, so
 * the origin's retention would delete at once what a restore brings back, and archive mode replays
 * records once the sink's own retention released them. Stateless.
 */
final class MirroredTopics {
    private static final Logger log = LoggerFactory.getLogger(MirroredTopics.class);
    private static final long TIMEOUT_S = 30;

    private MirroredTopics() {
    }

    /** The target {@code name} as it would be created for {@code origin}. */
    static TargetTopic of(String name, TopicOrigin origin) {
        return new TargetTopic(name, origin.partitions(), origin.maxMessageBytes(), -1, -1, origin.compacted());
    }

    /** Creates each topic (broker-default replication); one another task created meanwhile is left as it is. */
    static void create(Map<String, Object> adminConfig, List<TargetTopic> topics) {
        if (topics.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(adminConfig)) {
            for (TargetTopic t : topics) {
                Map<String, String> configs = new HashMap<>();
                configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(t.maxMessageBytes()));
                configs.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
                configs.put(TopicConfig.RETENTION_BYTES_CONFIG, "-1");
                configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, t.compacted() ? TopicConfig.CLEANUP_POLICY_COMPACT
                        : TopicConfig.CLEANUP_POLICY_DELETE);
                NewTopic topic = new NewTopic(t.name(), Optional.of(t.partitions()), Optional.empty()).configs(configs);
                try {
                    admin.createTopics(List.of(topic)).all().get(TIMEOUT_S, TimeUnit.SECONDS);
                    log.info("Created replay target topic {} mirroring the origin topic the sink recorded: {}"
                            + " partitions, {}", t.name(), t.partitions(), configs);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new ConnectException("cannot create replay target topic " + t.name() + ": "
                                + e.getCause(), e.getCause());
                    }
                } catch (TimeoutException e) {
                    throw new ConnectException("the target cluster did not create topic " + t.name() + " within "
                            + TIMEOUT_S + " s", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ConnectException("interrupted while creating replay target topic " + t.name(), e);
                }
            }
        }
    }
}

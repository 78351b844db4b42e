package io.clfs.connect.sink;

import io.clfs.connect.envelope.TopicOrigin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sink's topics as the origin cluster describes them ({@code clfs.origin.bootstrap.servers}):
 * topic id, partition count and the settings a restore mirrors. A {@code SinkRecord} carries no
 * topic id, so the task asks an Admin client once per partition assignment (one describe of the
 * topics and one of their configs, for all of them) and remembers the answer for the
 * assignment's logs. Without bootstrap servers it describes nothing. Used by the task thread only;
 * no lock.
 */
final class OriginTopics implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OriginTopics.class);

    /** Null when the origin cluster is not configured. */
    private final Admin admin;
    private final long timeoutMs;
    private final Map<String, TopicOrigin> described = new HashMap<>();

    OriginTopics(Admin admin, long timeoutMs) {
        this.admin = admin;
        this.timeoutMs = timeoutMs;
    }

    static OriginTopics of(ClfsSinkConfig config) {
        Map<String, Object> adminConfig = config.originAdminConfig();
        if (adminConfig.isEmpty()) {
            log.info("No {}: topic ids are not checked (a topic recreated and refilled past its log's end before"
                    + " the task reopens it goes unnoticed), and the logs record no origin topic settings",
                    ClfsSinkConfig.ORIGIN_BOOTSTRAP_SERVERS);
            return new OriginTopics(null, 0);
        }
        return new OriginTopics(Admin.create(adminConfig), config.originTimeoutMs());
    }

    /**
     * Describes the topics of {@code partitions} in one round. A cluster that does not answer in time,
     * or a topic it does not know (deleted meanwhile), leaves those topics undescribed: their logs
     * are opened as without bootstrap servers, and the next assignment asks again.
     */
    void describe(Collection<TopicPartition> partitions) {
        if (admin == null || partitions.isEmpty()) {
            return;
        }
        TreeSet<String> topics = new TreeSet<>();
        partitions.forEach(tp -> topics.add(tp.topic()));
        topics.forEach(described::remove);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try {
            Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames()
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
            List<ConfigResource> resources = topics.stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all()
                    .get(left, TimeUnit.MILLISECONDS);
            for (ConfigResource r : resources) {
                TopicDescription d = descriptions.get(r.name());
                described.put(r.name(), origin(d, configs.get(r)));
            }
        } catch (ExecutionException e) {
            log.warn("Could not describe topic(s) {} on {}: {}. Their topic ids are not checked this time", topics,
                    ClfsSinkConfig.ORIGIN_BOOTSTRAP_SERVERS, e.getCause().toString());
        } catch (TimeoutException e) {
            log.warn("{} did not describe topic(s) {} within {} ms ({}): their topic ids are not checked this time",
                    ClfsSinkConfig.ORIGIN_BOOTSTRAP_SERVERS, topics, timeoutMs, ClfsSinkConfig.ORIGIN_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted while describing topic(s) {}: their topic ids are not checked this time", topics);
        }
    }

    /** The topic as last described, or null when it was not (no bootstrap servers, no answer). */
    TopicOrigin of(String topic) {
        return described.get(topic);
    }

    private static TopicOrigin origin(TopicDescription d, Config c) {
        return new TopicOrigin(d.topicId(), d.partitions().size(),
                Integer.parseInt(value(c, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1048588")),
                Long.parseLong(value(c, TopicConfig.RETENTION_MS_CONFIG, "604800000")),
                Long.parseLong(value(c, TopicConfig.RETENTION_BYTES_CONFIG, "-1")),
                value(c, TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE));
    }

    private static String value(Config c, String key, String dflt) {
        ConfigEntry e = c == null ? null : c.get(key);
        return e == null || e.value() == null ? dflt : e.value();
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
    }
}

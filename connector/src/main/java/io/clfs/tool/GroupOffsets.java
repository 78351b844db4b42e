package io.clfs.tool;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A consumer group's committed offsets and members, through the Admin client. */
final class GroupOffsets {
    private static final long TIMEOUT_S = 30;

    private GroupOffsets() {
    }

    /** The group's committed offsets in {@code topic}, by partition. */
    static Map<Integer, Long> committed(Admin admin, String group, String topic) {
        Map<TopicPartition, OffsetAndMetadata> all = get(admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata(), "list the offsets of group " + group);
        Map<Integer, Long> out = new TreeMap<>();
        all.forEach((tp, o) -> {
            if (tp.topic().equals(topic) && o != null) {
                out.put(tp.partition(), o.offset());
            }
        });
        return out;
    }

    /** The group's active members, each as {@code member-id (client-id@host)}; empty when none (or no group). */
    static List<String> activeMembers(Admin admin, String group) {
        ConsumerGroupDescription d;
        try {
            d = get(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group),
                    "describe group " + group);
        } catch (GroupIdNotFoundException e) {
            return List.of();
        }
        return d.members().stream().map(GroupOffsets::name).toList();
    }

    private static String name(MemberDescription m) {
        return m.consumerId() + " (" + m.clientId() + "@" + m.host() + ")";
    }

    static void commit(Admin admin, String group, Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> m = new TreeMap<>(
                java.util.Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition));
        offsets.forEach((tp, o) -> m.put(tp, new OffsetAndMetadata(o)));
        get(admin.alterConsumerGroupOffsets(group, m).all(), "commit the offsets of group " + group);
    }

    private static <T> T get(KafkaFuture<T> f, String what) {
        try {
            return f.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException g) {
                throw g;
            }
            throw new IllegalStateException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot " + what + ": no answer within " + TIMEOUT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        }
    }
}

package io.clfs.connect.source;

import org.apache.kafka.common.utils.Utils;

import java.util.Map;

/**
 * The partition a replayed record goes to. By default its origin partition. For a target topic
 * known (at task start) to have fewer partitions than its origin, every record of that topic is
 * mapped by the chosen {@link ClfsSourceConfig.PartitionMapping}: {@code hash} as Kafka's default
 * partitioner does for a keyed record (murmur2 of the key bytes, positive, modulo the count; the
 * bytes as journaled, which are Kafka's own with ByteArrayConverter), a null key by origin
 * partition modulo the count; {@code modulo} by origin partition modulo the count.
 */
final class PartitionMapper {
    private final boolean preserve;
    private final ClfsSourceConfig.PartitionMapping mapping;
    /** Partition counts of the target topics that need mapping, by topic. */
    private final Map<String, Integer> mapped;

    PartitionMapper(boolean preserve, ClfsSourceConfig.PartitionMapping mapping, Map<String, Integer> mapped) {
        this.preserve = preserve;
        this.mapping = mapping;
        this.mapped = Map.copyOf(mapped);
    }

    /** Origin partitions kept; the producer's choice when {@code clfs.replay.preserve.partition=false}. */
    static PartitionMapper preserving(boolean preserve) {
        return new PartitionMapper(preserve, ClfsSourceConfig.PartitionMapping.NONE, Map.of());
    }

    /** The partition for a record, or null for the producer's choice. */
    Integer partition(String target, int originPartition, byte[] key) {
        if (!preserve) {
            return null;
        }
        Integer count = mapped.get(target);
        if (count == null) {
            return originPartition;
        }
        if (mapping == ClfsSourceConfig.PartitionMapping.HASH && key != null) {
            return Utils.toPositive(Utils.murmur2(key)) % count;
        }
        return originPartition % count;
    }
}

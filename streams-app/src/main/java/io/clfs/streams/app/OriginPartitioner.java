package io.clfs.streams.app;

import org.apache.kafka.streams.processor.StreamPartitioner;

import java.util.Optional;
import java.util.Set;

/**
 * Sends a restored record to its origin partition when the origin topic has that partition; when
 * it does not (the topic was recreated smaller) or none is known, the producer's default
 * partitioning places it, as it would a new record with that key.
 */
final class OriginPartitioner implements StreamPartitioner<OriginKey, byte[]> {
    @Override
    public Optional<Set<Integer>> partitions(String topic, OriginKey key, byte[] value, int numPartitions) {
        if (key.partition() >= 0 && key.partition() < numPartitions) {
            return Optional.of(Set.of(key.partition()));
        }
        return Optional.empty();
    }
}

package io.clfs.streams.app;

import org.apache.kafka.common.serialization.Serializer;

/**
 * A restored record's key on its way to the sink, carrying where the record goes: the sink's topic
 * extractor and partitioner read the destination from it, and {@link KeySerializer} writes only
 * the original key bytes. The destination cannot ride in headers: the restored record must leave
 * with exactly its original headers.
 *
 * @param partition the origin partition, or -1 for the producer's default partitioning
 */
record OriginKey(String topic, int partition, byte[] key) {

    /** Writes the original key bytes, null included. */
    static final class KeySerializer implements Serializer<OriginKey> {
        @Override
        public byte[] serialize(String topic, OriginKey data) {
            return data == null ? null : data.key();
        }
    }
}

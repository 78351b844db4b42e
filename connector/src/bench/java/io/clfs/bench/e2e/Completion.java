package io.clfs.bench.e2e;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * How far a pipeline has got, in records, as the harness polls it (every 50 ms): a sink by its
 * consumer group's committed offsets, a source by its target topic's end offsets, and a
 * transactional source by the records a {@code read_committed} consumer sees (there end offsets also
 * count the transaction markers, so they would reach the count too early).
 */
interface Completion extends AutoCloseable {
    long POLL_MS = 50;

    /** Records done so far; waits up to {@link #POLL_MS} first. */
    long count() throws Exception;

    @Override
    default void close() {
    }

    static List<TopicPartition> partitions(String topic, int partitions) {
        return IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    static Completion committedOffsets(Admin admin, String group, String topic, int partitions) {
        List<TopicPartition> tps = partitions(topic, partitions);
        return () -> {
            Thread.sleep(POLL_MS);
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            return tps.stream().map(committed::get).mapToLong(m -> m == null ? 0 : m.offset()).sum();
        };
    }

    static Completion endOffsets(Admin admin, String topic, int partitions) {
        return () -> {
            Thread.sleep(POLL_MS);
            return endOffsetSum(admin, topic, partitions);
        };
    }

    static long endOffsetSum(Admin admin, String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = partitions(topic, partitions).stream()
                .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get().values().stream()
                .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
    }

    static Completion committedRecords(String bootstrap, String topic, int partitions) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1_000_000,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.assign(partitions(topic, partitions));
        return new Completion() {
            private long seen;

            @Override
            public long count() {
                seen += consumer.poll(Duration.ofMillis(POLL_MS)).count();
                return seen;
            }

            @Override
            public void close() {
                consumer.close();
            }
        };
    }
}

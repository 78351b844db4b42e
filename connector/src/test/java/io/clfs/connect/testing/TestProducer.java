package io.clfs.connect.testing;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * A producer that cannot lose a batch silently (KAFKA-15591): one request in flight, acks=all,
 * and every send's result checked.
 */
public final class TestProducer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;

    public TestProducer(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 << 10,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 << 20,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 64L << 20),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends records {@code from} (inclusive) to {@code to} (exclusive) and returns their metadata, all checked. */
    public List<RecordMetadata> send(SampleRecords samples, long from, long to) {
        List<Future<RecordMetadata>> futures = new ArrayList<>((int) (to - from));
        for (long i = from; i < to; i++) {
            futures.add(producer.send(samples.record(i)));
        }
        return await(futures);
    }

    /** Sends all, then checks every result. */
    public List<RecordMetadata> sendAll(List<ProducerRecord<byte[], byte[]>> records) {
        List<Future<RecordMetadata>> futures = new ArrayList<>(records.size());
        records.forEach(r -> futures.add(producer.send(r)));
        return await(futures);
    }

    private static List<RecordMetadata> await(List<Future<RecordMetadata>> futures) {
        List<RecordMetadata> out = new ArrayList<>(futures.size());
        for (Future<RecordMetadata> f : futures) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                throw new AssertionError("a produced record was not acknowledged", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while producing", e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        producer.close();
    }
}

package io.clfs.connect.testing;

import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogRecord;
import io.clfs.log.ReadContext;
import io.clfs.log.RecordFilter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Reading the sink's logs back through the engine, and waiting for the sink's progress. */
public final class Journals {
    private Journals() {
    }

    public static Path dirOf(Path root, String topic, int partition) {
        return root.resolve(topic + "-" + partition);
    }

    /** Every readable data record of the log, decoded, in LSN order; opened read-only beside any writer. */
    public static List<Envelope> read(Path logDir) {
        List<Envelope> out = new ArrayList<>();
        forEach(logDir, out::add);
        return out;
    }

    public static void forEach(Path logDir, Consumer<Envelope> action) {
        try (ClfsLog log = ClfsLog.openReadOnly(logDir);
             ReadContext ctx = log.stream().readFromTail(RecordFilter.DATA)) {
            for (LogRecord r = ctx.next(); r != null; r = ctx.next()) {
                action.accept(EnvelopeCodec.decode(r.data()));
            }
        }
    }

    public static List<Long> offsets(Path logDir) {
        List<Long> out = new ArrayList<>();
        forEach(logDir, e -> out.add(e.offset()));
        return out;
    }

    /** The sink connector's committed offsets: what it has declared durable. */
    public static Map<TopicPartition, Long> committed(String bootstrapServers, String connector) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets("connect-" + connector)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> out = new HashMap<>();
            m.forEach((tp, o) -> {
                if (o != null) {
                    out.put(tp, o.offset());
                }
            });
            return out;
        } catch (Exception e) {
            throw new AssertionError("cannot read the committed offsets of connect-" + connector, e);
        }
    }

    /** Waits until the connector has committed at least {@code ends} for every partition. */
    public static void awaitCommitted(String bootstrapServers, String connector, Map<TopicPartition, Long> ends,
                                      Duration timeout) {
        await(timeout, () -> {
            Map<TopicPartition, Long> c = committed(bootstrapServers, connector);
            return ends.entrySet().stream().allMatch(e -> c.getOrDefault(e.getKey(), -1L) >= e.getValue());
        }, () -> "committed offsets " + committed(bootstrapServers, connector) + " never reached " + ends);
    }

    /** Polls {@code condition} until it holds or the deadline passes. */
    public static void await(Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + ": " + failure.get());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
        }
    }
}

package io.clfs.tool;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * {@link OriginOffsetSearch.Probe} over a replay partition: seeks and polls until it meets a record
 * of the origin partition (records of other origin partitions are passed over), reading the
 * {@code clfs.origin.*} headers the source connector adds. The consumer is assigned that one
 * partition and used by this probe alone while it searches.
 */
final class ReplayPartitionProbe implements OriginOffsetSearch.Probe {
    // The source connector's public header names (its package-private ReplayRecordBuilder writes them).
    static final String ORIGIN_TOPIC = "clfs.origin.topic";
    static final String ORIGIN_PARTITION = "clfs.origin.partition";
    static final String ORIGIN_OFFSET = "clfs.origin.offset";

    private final Consumer<byte[], byte[]> consumer;
    private final TopicPartition partition;
    private final String originTopic;
    private final int originPartition;
    private final Duration timeout;

    ReplayPartitionProbe(Consumer<byte[], byte[]> consumer, TopicPartition partition, String originTopic,
                         int originPartition, Duration timeout) {
        this.consumer = consumer;
        this.partition = partition;
        this.originTopic = originTopic;
        this.originPartition = originPartition;
        this.timeout = timeout;
        consumer.assign(List.of(partition));
    }

    @Override
    public OriginOffsetSearch.Probed first(long from, long before) {
        consumer.seek(partition, from);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.position(partition) < before) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200)).records(partition)) {
                if (r.offset() >= before) {
                    return null;
                }
                if (originTopic.equals(text(r, ORIGIN_TOPIC))
                        && originPartition == number(r, ORIGIN_PARTITION)) {
                    return new OriginOffsetSearch.Probed(r.offset(), number(r, ORIGIN_OFFSET));
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no record of " + partition + " at or after offset " + from
                        + " arrived within " + timeout.toSeconds() + " s");
            }
        }
        return null;
    }

    private static String text(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        if (h == null || h.value() == null) {
            throw new IllegalArgumentException("record " + r.topic() + "-" + r.partition() + "@" + r.offset()
                    + " has no " + name + " header: was it replayed with clfs.replay.headers=false, or not"
                    + " replayed by the clfs source at all?");
        }
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    private static long number(ConsumerRecord<byte[], byte[]> r, String name) {
        String t = text(r, name);
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("record " + r.topic() + "-" + r.partition() + "@" + r.offset()
                    + " has header " + name + "=" + t + ", not a decimal number", e);
        }
    }
}

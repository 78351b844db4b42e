package io.clfs.connect.testing;

import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogRecord;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import io.clfs.log.ReadContext;
import io.clfs.log.ReadMode;
import io.clfs.log.RecordFilter;
import io.clfs.log.RecordType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The end of the pipeline topic -> sink -> log -> source -> replay topic: checks that each replay
 * partition holds exactly the records the sink released from the matching log (origin offsets 0
 * up to the base), each identical to its origin record (key, value, timestamp, headers) and
 * followed by the {@code clfs.*} headers. Exactly once: each once, in offset order. At least once
 * (no exactly-once support, faults): every released record, duplicates allowed but identical.
 *
 * <p>Runnable on its own for the main job (class path: the test classes and Kafka's clients):
 * {@code ReplayCheck <bootstrap> <origin topic> <replay topic> <log dir> <partitions> [exact|at-least-once]}.
 */
public final class ReplayCheck {
    public enum Delivery { EXACTLY_ONCE, AT_LEAST_ONCE }

    private ReplayCheck() {
    }

    public static void main(String[] args) {
        if (args.length < 5) {
            System.err.println("usage: ReplayCheck <bootstrap> <origin topic> <replay topic> <log dir> <partitions>"
                    + " [exact|at-least-once]");
            System.exit(2);
        }
        Delivery d = args.length > 5 && args[5].startsWith("at") ? Delivery.AT_LEAST_ONCE : Delivery.EXACTLY_ONCE;
        try {
            long n = verify(args[0], args[1], args[2], Path.of(args[3]), Integer.parseInt(args[4]), d);
            System.out.println("OK: " + args[2] + " holds exactly the " + n + " records released from " + args[1]);
        } catch (AssertionError e) {
            System.out.println("FAILED: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Kafka offset after the last record the sink released from a log: the base restart area's last offset + 1. */
    public static long releasedEnd(Path logDir) {
        try (ClfsLog log = ClfsLog.openReadOnly(logDir)) {
            LogStream s = log.stream();
            long base = s.baseLsn();
            if (!Lsn.less(base, s.durableEnd())) {
                return 0;
            }
            // Until the sink first moves it, the base is the log's first block boundary, not a record.
            try (ReadContext ctx = s.read(base, ReadMode.FORWARD, RecordFilter.ALL)) {
                LogRecord r = ctx.next();
                return r != null && r.lsn() == base && r.type() == RecordType.RESTART
                        ? SinkRestartArea.decode(r.data()).lastOffset() + 1 : 0;
            }
        }
    }

    /** True when the source has archived everything released: the archive tail reached the base. */
    public static boolean archived(Path logDir) {
        try (ClfsLog log = ClfsLog.openReadOnly(logDir)) {
            return !Lsn.less(log.stream().archiveTail(), log.stream().baseLsn());
        }
    }

    /** @return the number of released records checked */
    public static long verify(String bootstrap, String originTopic, String replayTopic, Path logRoot, int partitions,
                              Delivery delivery) {
        long total = 0;
        for (int p = 0; p < partitions; p++) {
            long end = releasedEnd(Journals.dirOf(logRoot, originTopic, p));
            List<ConsumerRecord<byte[], byte[]>> origin = read(bootstrap, new TopicPartition(originTopic, p), end);
            List<ConsumerRecord<byte[], byte[]>> replay = read(bootstrap, new TopicPartition(replayTopic, p), -1);
            check(origin, replay, originTopic, p, end, delivery);
            total += end;
        }
        return total;
    }

    static void check(List<ConsumerRecord<byte[], byte[]>> origin, List<ConsumerRecord<byte[], byte[]>> replay,
                      String originTopic, int partition, long end, Delivery delivery) {
        String where = originTopic + "-" + partition;
        if (origin.size() != end) {
            throw new AssertionError(where + ": expected " + end + " released records in the origin topic, found "
                    + origin.size());
        }
        Set<Long> seen = new HashSet<>();
        String lastLsn = "";
        long index = 0;
        for (ConsumerRecord<byte[], byte[]> r : replay) {
            long offset = Long.parseLong(text(r, "clfs.origin.offset"));
            String at = where + " replay offset " + r.offset() + " (origin offset " + offset + ")";
            if (offset < 0 || offset >= end) {
                throw new AssertionError(at + ": not a released record (released: 0 to " + (end - 1) + ")");
            }
            boolean first = seen.add(offset);
            if (delivery == Delivery.EXACTLY_ONCE) {
                // Replay offsets are not dense (transaction markers): count the records instead.
                if (offset != index || !first) {
                    throw new AssertionError(at + ": expected origin offset " + index
                            + " here (each released record once, in order)");
                }
                String lsn = text(r, "clfs.lsn");
                if (lsn.compareTo(lastLsn) <= 0) {
                    throw new AssertionError(at + ": clfs.lsn " + lsn + " does not follow " + lastLsn);
                }
                lastLsn = lsn;
            }
            same(origin.get((int) offset), r, originTopic, partition, at);
            index++;
        }
        if (seen.size() != end) {
            List<Long> missing = new ArrayList<>();
            for (long o = 0; o < end && missing.size() < 10; o++) {
                if (!seen.contains(o)) {
                    missing.add(o);
                }
            }
            throw new AssertionError(where + ": " + (end - seen.size()) + " released records missing from the replay"
                    + " topic, first origin offsets " + missing);
        }
    }

    private static void same(ConsumerRecord<byte[], byte[]> o, ConsumerRecord<byte[], byte[]> r, String topic,
                             int partition, String at) {
        if (!Arrays.equals(o.key(), r.key()) || !Arrays.equals(o.value(), r.value())) {
            throw new AssertionError(at + ": key or value differs from the origin record");
        }
        if (o.timestamp() != r.timestamp()) {
            throw new AssertionError(at + ": timestamp " + r.timestamp() + ", origin " + o.timestamp());
        }
        Header[] oh = o.headers().toArray();
        Header[] rh = r.headers().toArray();
        if (rh.length != oh.length + 4) {
            throw new AssertionError(at + ": " + rh.length + " headers, expected the origin's " + oh.length + " + 4");
        }
        for (int i = 0; i < oh.length; i++) {
            if (!oh[i].key().equals(rh[i].key()) || !Arrays.equals(oh[i].value(), rh[i].value())) {
                throw new AssertionError(at + ": header " + i + " differs from the origin's");
            }
        }
        List<String> names = List.of(rh[oh.length].key(), rh[oh.length + 1].key(), rh[oh.length + 2].key(),
                rh[oh.length + 3].key());
        if (!names.equals(List.of("clfs.lsn", "clfs.origin.topic", "clfs.origin.partition", "clfs.origin.offset"))) {
            throw new AssertionError(at + ": the added headers are " + names);
        }
        Lsn.parse(text(r, "clfs.lsn"));
        if (!topic.equals(text(r, "clfs.origin.topic")) || !Integer.toString(partition).equals(text(r,
                "clfs.origin.partition")) || !Long.toString(o.offset()).equals(text(r, "clfs.origin.offset"))) {
            throw new AssertionError(at + ": origin headers do not name " + topic + "-" + partition + "@" + o.offset());
        }
    }

    private static String text(ConsumerRecord<byte[], byte[]> r, String header) {
        Header h = r.headers().lastHeader(header);
        if (h == null || h.value() == null) {
            throw new AssertionError("replay record at offset " + r.offset() + " has no header " + header);
        }
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * The committed records of a partition (read_committed), from its start up to {@code end}
     * records, or to its current end when {@code end} is -1.
     */
    public static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, TopicPartition tp, long end) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long stop = end >= 0 ? end : c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (c.position(tp) < stop && (end < 0 || out.size() < end)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError(tp + ": read " + out.size() + " records, position " + c.position(tp)
                            + ", expected to reach " + stop);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (end < 0 || out.size() < end) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }
}

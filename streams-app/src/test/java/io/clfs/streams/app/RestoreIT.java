package io.clfs.streams.app;

import io.clfs.log.Lsn;
import io.clfs.tool.ClfsTool;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replay topic as ClfsSourceConnector writes it, replayed twice over (and one range a third
 * time), restored by the application with exactly_once_v2, restarted in between on an empty state
 * directory (so the LSN store comes back from its changelog): each origin partition holds every
 * record exactly once, byte-identical, in LSN order. And a consumer group follows its records onto
 * the restored topic by their clfs.origin.offset ({@code clfs offsets translate}).
 */
@ExtendWith(KafkaBroker.Extension.class)
class RestoreIT {
    private static final String REPLAY = "restore-it-replay";
    private static final int REPLAY_PARTITIONS = 3;
    private static final Map<String, Integer> ORIGINS = Map.of("restore-it-orders", 3, "restore-it-payments", 2);
    private static final int PER_PARTITION = 400;
    /** Records whose origin partition the origin topic no longer has: the producer's partitioning places them. */
    private static final int MOVED = 60;
    private static final String MOVED_TOPIC = "restore-it-payments";
    private static final int MOVED_PARTITION = 7;
    private static final String APP_ID = "restore-it";

    @TempDir
    Path tmp;

    /** One record as it was on its origin partition, and where the sink's log held it. */
    private record Original(String topic, int partition, long lsn, long offset, byte[] key, byte[] value,
                            List<Header> headers, long timestamp) {
    }

    @Test
    void eachOriginPartitionHoldsEveryRecordOnceByteIdenticalAfterAReplayThatRanTwice(KafkaBroker kafka)
            throws Exception {
        kafka.createTopic(REPLAY, REPLAY_PARTITIONS);
        for (Map.Entry<String, Integer> o : ORIGINS.entrySet()) {
            kafka.createTopic(o.getKey(), o.getValue());
        }
        List<Original> originals = originals(new Random(42));

        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            KafkaBroker.sendAll(producer, replay(originals));
            runUntilConsumed(kafka, tmp.resolve("state-1"));
            // The replay ran again, and a range of it a third time.
            List<ProducerRecord<byte[], byte[]>> again = new ArrayList<>(replay(originals));
            again.addAll(replay(originals.subList(0, 100)));
            KafkaBroker.sendAll(producer, again);
        }
        // An empty state directory: the LSN store must come back from its changelog.
        runUntilConsumed(kafka, tmp.resolve("state-2"));

        for (Map.Entry<String, Integer> o : ORIGINS.entrySet()) {
            checkOrigin(kafka, o.getKey(), o.getValue(), originals);
        }
    }

    private void runUntilConsumed(KafkaBroker kafka, Path stateDir) throws Exception {
        runUntilConsumed(kafka, stateDir, APP_ID, REPLAY);
    }

    private static void runUntilConsumed(KafkaBroker kafka, Path stateDir, String appId, String replay)
            throws Exception {
        Map<String, Object> settings = new HashMap<>();
        settings.put(AppConfig.TOPOLOGY, "restore");
        settings.put(AppConfig.RESTORE_TOPICS, replay);
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        settings.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        // Streams does not leave the group on close: the next instance waits out the old members' session.
        settings.put("session.timeout.ms", 6000);
        settings.put("heartbeat.interval.ms", 1000);
        AppConfig config = AppConfig.of(settings);
        try (KafkaStreams streams = ClfsStreamsApp.create(config, ClfsStreamsApp.topology(config))) {
            streams.start();
            kafka.awaitConsumed(appId, replay, REPLAY_PARTITIONS, Duration.ofMinutes(2));
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
            streams.close(Duration.ofSeconds(30));
        }
    }

    /**
     * The origin topic lost its records (deleted up to its end, offsets 0-119 per partition gone); the
     * restore writes them back at offsets 120 on, each with its clfs.origin.offset. {@code clfs offsets
     * translate} from the topic to itself moves a group that had read up to origin offset k onto the
     * restored record of origin offset k (past the end where it had read everything): the group reads
     * exactly what it had not read.
     */
    @Test
    void aGroupFollowsItsRecordsOntoTheRestoredOriginTopic(KafkaBroker kafka) throws Exception {
        String topic = "restore-it-translated";
        String replayTopic = "restore-it-translated-replay";
        int lost = 120;
        int records = 300;
        kafka.createTopic(topic, REPLAY_PARTITIONS); // every replay partition gets records: the restore commits each
        kafka.createTopic(replayTopic, REPLAY_PARTITIONS);
        List<Original> originals = new ArrayList<>();
        Map<TopicPartition, RecordsToDelete> upToEnd = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            List<ProducerRecord<byte[], byte[]>> lostRecords = new ArrayList<>();
            for (int p = 0; p < REPLAY_PARTITIONS; p++) {
                for (int i = 0; i < lost; i++) {
                    lostRecords.add(new ProducerRecord<>(topic, p, null, new byte[] {(byte) i}));
                }
                for (int i = 0; i < records; i++) {
                    originals.add(new Original(topic, p, Lsn.of(1, 512 + 64L * i), i, ("k" + i).getBytes(
                            StandardCharsets.UTF_8), new byte[] {(byte) p}, List.of(), 1_000L * i + p));
                }
                upToEnd.put(new TopicPartition(topic, p), RecordsToDelete.beforeOffset(lost));
            }
            KafkaBroker.sendAll(producer, lostRecords);
            kafka.admin().deleteRecords(upToEnd).all().get();
            kafka.admin().alterConsumerGroupOffsets("billing", Map.of(new TopicPartition(topic, 0),
                    new OffsetAndMetadata(100), new TopicPartition(topic, 1), new OffsetAndMetadata(250),
                    new TopicPartition(topic, 2), new OffsetAndMetadata(records))).all().get();
            KafkaBroker.sendAll(producer, replay(originals, replayTopic));
        }
        runUntilConsumed(kafka, tmp.resolve("state-translate"), "restore-it-translate", replayTopic);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = ClfsTool.commandLine(new ByteArrayInputStream(new byte[0]), new PrintWriter(out),
                new PrintWriter(err)).execute("offsets", "translate", "--bootstrap", kafka.bootstrapServers(), "--group", "billing",
                        "--from-topic", topic, "--to-topic", topic, "--apply");
        assertThat(exit).as(out + "\n" + err).isEqualTo(ClfsTool.OK);
        List<ConsumerRecord<byte[], byte[]>> restored = kafka.readAll(topic, Duration.ofMinutes(1));
        Map<TopicPartition, Long> committed = kafka.committed("billing", topic);
        // Transaction markers take offsets too: the restored record of origin offset k is found by its header.
        assertThat(committed).isEqualTo(Map.of(new TopicPartition(topic, 0), offsetOf(restored, 0, "0@100"),
                new TopicPartition(topic, 1), offsetOf(restored, 1, "1@250"),
                new TopicPartition(topic, 2), kafka.endOffsets(topic, REPLAY_PARTITIONS)
                        .get(new TopicPartition(topic, 2)))); // it had read everything: placed at the end
        assertThat(offsetOf(restored, 0, "0@0")).as("restored after the lost records").isGreaterThanOrEqualTo(lost);
        List<String> unread = restored.stream()
                .filter(r -> r.offset() >= committed.get(new TopicPartition(topic, r.partition())))
                .map(RestoreIT::origin).toList();
        assertThat(unread).containsExactlyInAnyOrderElementsOf(Stream.concat(
                LongStream.range(100, records).mapToObj(o -> "0@" + o),
                LongStream.range(250, records).mapToObj(o -> "1@" + o)).toList());
    }

    /** "partition@originOffset" of a restored record. */
    private static String origin(ConsumerRecord<byte[], byte[]> r) {
        return r.partition() + "@" + new String(r.headers().lastHeader("clfs.origin.offset").value(),
                StandardCharsets.UTF_8);
    }

    private static long offsetOf(List<ConsumerRecord<byte[], byte[]>> restored, int partition, String origin) {
        return restored.stream().filter(r -> r.partition() == partition && origin(r).equals(origin)).findFirst()
                .orElseThrow(() -> new AssertionError("no restored record " + origin)).offset();
    }

    private static List<Original> originals(Random random) {
        List<Original> out = new ArrayList<>();
        long t0 = System.currentTimeMillis() - 3_600_000L;
        int n = 0;
        for (Map.Entry<String, Integer> o : ORIGINS.entrySet()) {
            for (int p = 0; p < o.getValue(); p++) {
                for (int i = 0; i < PER_PARTITION; i++) {
                    out.add(original(random, o.getKey(), p, i, i, t0 + n++, i % 17 == 0));
                }
            }
        }
        for (int i = 0; i < MOVED; i++) {
            out.add(original(random, MOVED_TOPIC, MOVED_PARTITION, i, i, t0 + n++, false));
        }
        return out;
    }

    private static Original original(Random random, String topic, int partition, int index, long offset, long ts,
                                     boolean nullKey) {
        byte[] key = nullKey ? null : bytes(random, 1 + random.nextInt(24));
        byte[] value = index % 23 == 5 ? null : bytes(random, random.nextInt(300));
        List<Header> headers = new ArrayList<>();
        for (int h = random.nextInt(4); h > 0; h--) {
            headers.add(new org.apache.kafka.common.header.internals.RecordHeader("h" + random.nextInt(2),
                    random.nextInt(5) == 0 ? null : bytes(random, random.nextInt(20))));
        }
        return new Original(topic, partition, Lsn.of(1, 512 + 64L * index), offset, key, value, headers, ts);
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** The replay records of {@code originals}, as ClfsSourceConnector writes them, in LSN order per origin. */
    private static List<ProducerRecord<byte[], byte[]>> replay(List<Original> originals) {
        return replay(originals, REPLAY);
    }

    private static List<ProducerRecord<byte[], byte[]>> replay(List<Original> originals, String replayTopic) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (Original o : originals) {
            RecordHeaders h = new RecordHeaders();
            o.headers().forEach(h::add);
            h.add("clfs.lsn", Lsn.toString(o.lsn()).getBytes(StandardCharsets.UTF_8));
            h.add("clfs.origin.topic", o.topic().getBytes(StandardCharsets.UTF_8));
            h.add("clfs.origin.partition", Integer.toString(o.partition()).getBytes(StandardCharsets.UTF_8));
            h.add("clfs.origin.offset", Long.toString(o.offset()).getBytes(StandardCharsets.UTF_8));
            out.add(new ProducerRecord<>(replayTopic, o.partition() % REPLAY_PARTITIONS, o.timestamp(), o.key(),
                    o.value(), h));
        }
        return out;
    }

    /** Where the producer's default partitioning puts a keyed record. */
    private static int expectedPartition(Original o, int partitions) {
        return o.partition() < partitions ? o.partition() : Utils.toPositive(Utils.murmur2(o.key())) % partitions;
    }

    private static void checkOrigin(KafkaBroker kafka, String topic, int partitions, List<Original> originals)
            throws Exception {
        List<ConsumerRecord<byte[], byte[]>> restored = kafka.readAll(topic, Duration.ofMinutes(1));
        for (int p = 0; p < partitions; p++) {
            final int partition = p;
            List<Original> expected = originals.stream()
                    .filter(o -> o.topic().equals(topic) && expectedPartition(o, partitions) == partition).toList();
            List<ConsumerRecord<byte[], byte[]>> actual = restored.stream().filter(r -> r.partition() == partition)
                    .toList();
            assertThat(actual).as("records restored to %s-%d", topic, p).hasSize(expected.size());
            Map<Long, ConsumerRecord<byte[], byte[]>> byTimestamp = new HashMap<>();
            actual.forEach(r -> byTimestamp.put(r.timestamp(), r));
            assertThat(byTimestamp).as("each record once in %s-%d", topic, p).hasSize(expected.size());
            for (Original o : expected) {
                ConsumerRecord<byte[], byte[]> r = byTimestamp.get(o.timestamp());
                assertThat(r).as("%s-%d record of LSN %s", topic, p, Lsn.toString(o.lsn())).isNotNull();
                assertThat(r.key()).isEqualTo(o.key());
                assertThat(r.value()).isEqualTo(o.value());
                Header[] headers = r.headers().toArray();
                List<String> keys = new ArrayList<>(o.headers().stream().map(Header::key).toList());
                keys.addAll(List.of("clfs.lsn", "clfs.origin.topic", "clfs.origin.partition", "clfs.origin.offset"));
                assertThat(headers).extracting(Header::key).containsExactlyElementsOf(keys);
                assertThat(r.headers().lastHeader("clfs.origin.offset").value())
                        .isEqualTo(Long.toString(o.offset()).getBytes(StandardCharsets.UTF_8));
                for (int i = 0; i < o.headers().size(); i++) {
                    assertThat(Arrays.equals(headers[i].value(), o.headers().get(i).value()))
                            .as("header %d of %s", i, Lsn.toString(o.lsn())).isTrue();
                }
            }
            // Records of one origin partition come from one replay partition: they keep their LSN order.
            List<Long> unmoved = actual.stream().map(ConsumerRecord::timestamp)
                    .filter(ts -> expected.stream().anyMatch(o -> o.timestamp() == ts && o.partition() == partition))
                    .toList();
            assertThat(unmoved).isSorted();
        }
    }
}

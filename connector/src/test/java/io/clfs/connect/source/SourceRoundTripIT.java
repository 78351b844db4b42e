package io.clfs.connect.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.connect.sink.ClfsSinkConfig;
import io.clfs.connect.testing.EmbeddedConnectFixture;
import io.clfs.connect.testing.Journals;
import io.clfs.connect.testing.ReplayCheck;
import io.clfs.connect.testing.SampleRecords;
import io.clfs.connect.testing.TestProducer;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogRecord;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import io.clfs.log.ReadContext;
import io.clfs.log.RecordFilter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline on an in-process KRaft broker and two Connect workers, plus what only the embedded
 * cluster checks: space recycled while the sink keeps writing, range mode, a log discovered
 * later, the validate endpoint, a record too large for Kafka.
 */
class SourceRoundTripIT extends SourceRoundTripContract {
    @RegisterExtension
    static final EmbeddedConnectFixture CONNECT = EmbeddedConnectFixture.of("clfs-source", 2);

    SourceRoundTripIT() {
        super(CONNECT);
    }

    private static long containerBytes(Path logDir) {
        try (Stream<Path> files = Files.list(logDir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("container-")).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // recycled or removed between listing and sizing
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void whileTheSinkKeepsWritingTheArchiveTailFollowsAndTheLogStaysWithinItsMaximum() throws Exception {
        String topic = "recycle";
        long containerSize = 512 << 10;
        int maxContainers = 4;
        long maximum = containerSize * maxContainers;
        CONNECT.createTopic(topic, 1);
        CONNECT.createTopic(topic + ".replay", 1);
        Map<String, String> sink = sinkConfig(topic, logs, 1);
        sink.put(ClfsSinkConfig.CONTAINER_SIZE, Long.toString(containerSize));
        sink.put(ClfsSinkConfig.MAX_CONTAINERS, Integer.toString(maxContainers));
        sink.put(ClfsSinkConfig.RESTART_INTERVAL_RECORDS, "200");
        sink.put(ClfsSinkConfig.LOG_FULL_RETRY_MS, "100");
        rest().putConnector("recycle-sink", sink);
        rest().awaitRunning("recycle-sink", 1, TIMEOUT);
        awaitLogs(logs, topic, 1);
        rest().putConnector("recycle-source", sourceConfig(logs, 1));
        rest().awaitRunning("recycle-source", 1, TIMEOUT);

        Path logDir = Journals.dirOf(logs, topic, 0);
        AtomicLong largest = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
            while (!done.get()) {
                largest.accumulateAndGet(containerBytes(logDir), Math::max);
                LockSupport.parkNanos(20_000_000L);
            }
        });
        // 140k sample records of ~170 envelope bytes each: more than ten times the log's 2 MiB maximum.
        int records = 140_000;
        Map<TopicPartition, Long> ends = CONNECT.produce(new SampleRecords(topic, 1, false), 0, records);
        CONNECT.awaitCommitted("recycle-sink", ends, TIMEOUT);
        awaitReleasedAndArchived(logs, ends);
        done.set(true);
        watcher.join();

        long journaled;
        long lastContainer;
        try (ClfsLog log = ClfsLog.openReadOnly(logDir)) {
            LogRecord base = log.stream().read(log.stream().baseLsn());
            journaled = SinkRestartArea.decode(base.data()).bytesJournaled();
            lastContainer = Lsn.container(base.lsn());
        }
        assertThat(journaled).as("envelope bytes written through the log").isGreaterThan(10 * maximum);
        assertThat(lastContainer).as("logical containers used (recycled physical ones)").isGreaterThan(10L * 2);
        assertThat(largest.get()).as("container bytes on disk at most").isLessThanOrEqualTo(maximum);
        assertThat(ReplayCheck.verify(CONNECT.bootstrapServers(), topic, topic + ".replay", logs, 1,
                ReplayCheck.Delivery.EXACTLY_ONCE)).isEqualTo(records);
        rest().deleteConnector("recycle-source");
        rest().deleteConnector("recycle-sink");
    }

    /** The LSN of the data record holding each Kafka offset. */
    private static List<Long> lsnsByOffset(Path logDir) {
        List<Long> out = new ArrayList<>();
        try (ClfsLog log = ClfsLog.openReadOnly(logDir);
             ReadContext ctx = log.stream().readFromTail(RecordFilter.DATA)) {
            for (LogRecord r = ctx.next(); r != null; r = ctx.next()) {
                assertThat(EnvelopeCodec.decodeFixed(r.data()).offset()).isEqualTo(out.size());
                out.add(r.lsn());
            }
        }
        return out;
    }

    private static long[] tails(Path logDir) {
        try (ClfsLog log = ClfsLog.openReadOnly(logDir)) {
            LogStream s = log.stream();
            return new long[]{s.baseLsn(), s.archiveTail()};
        }
    }

    @Test
    void rangeModeReplaysFromToThenNothingMoreAndLeavesTheTails() {
        String topic = "ranged";
        CONNECT.createTopic(topic, 1);
        CONNECT.createTopic("restore." + topic, 1);
        Map<String, String> sink = sinkConfig(topic, logs, 1);
        sink.put(ClfsSinkConfig.RETENTION_MS, "-1"); // keep everything: the range lies above the base
        rest().putConnector("ranged-sink", sink);
        rest().awaitRunning("ranged-sink", 1, TIMEOUT);
        SampleRecords samples = new SampleRecords(topic, 1, false);
        CONNECT.awaitCommitted("ranged-sink", CONNECT.produce(samples, 0, 100), TIMEOUT);
        Path logDir = Journals.dirOf(logs, topic, 0);
        List<Long> lsns = lsnsByOffset(logDir);
        long[] tailsBefore = tails(logDir);

        Map<String, String> source = sourceConfig(logs, 1);
        source.put(ClfsSourceConfig.MODE, "range");
        source.put(ClfsSourceConfig.FROM_LSN, Lsn.toString(lsns.get(10)));
        source.put(ClfsSourceConfig.TO_LSN, Lsn.toString(lsns.get(60)));
        source.put(ClfsSourceConfig.TOPIC, "restore.${topic}");
        rest().putConnector("ranged-source", source);
        rest().awaitRunning("ranged-source", 1, TIMEOUT);
        TopicPartition restore = new TopicPartition("restore." + topic, 0);
        List<ConsumerRecord<byte[], byte[]>> replayed = ReplayCheck.read(CONNECT.bootstrapServers(), restore, 50);
        assertThat(replayed).extracting(r -> header(r, "clfs.origin.offset"))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(10, 60).mapToObj(Integer::toString).toList());
        assertThat(replayed).extracting(r -> header(r, "clfs.lsn"))
                .containsExactlyElementsOf(lsns.subList(10, 60).stream().map(Lsn::toString).toList());

        // More records reach the log (and another restart area); the range replay adds nothing.
        CONNECT.awaitCommitted("ranged-sink", CONNECT.produce(samples, 100, 100), TIMEOUT);
        Journals.await(TIMEOUT, () -> lsnsByOffset(logDir).size() == 200, () -> "the sink journaled 200 records");
        assertThat(rest().running("ranged-source", 1)).isTrue();
        assertThat(ReplayCheck.read(CONNECT.bootstrapServers(), restore, -1)).hasSize(50);
        assertThat(tails(logDir)).containsExactly(tailsBefore);
        rest().deleteConnector("ranged-source");
        rest().deleteConnector("ranged-sink");
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void aLogThatAppearsLaterIsPickedUpWithoutARestart() {
        String topic = "late";
        CONNECT.createTopic(topic, 2);
        CONNECT.createTopic(topic + ".replay", 2);
        rest().putConnector("late-source", sourceConfig(logs, 2));
        rest().awaitRunning("late-source", 0, TIMEOUT); // no log yet: no task

        rest().putConnector("late-sink", sinkConfig(topic, logs, 1));
        rest().awaitRunning("late-sink", 1, TIMEOUT);
        Map<TopicPartition, Long> ends = CONNECT.produce(new SampleRecords(topic, 2, false), 0, 2_000);
        CONNECT.awaitCommitted("late-sink", ends, TIMEOUT);
        rest().awaitRunning("late-source", 2, TIMEOUT);
        awaitReleasedAndArchived(logs, ends);
        assertThat(ReplayCheck.verify(CONNECT.bootstrapServers(), topic, topic + ".replay", logs, 2,
                ReplayCheck.Delivery.EXACTLY_ONCE)).isEqualTo(2_000);
        rest().deleteConnector("late-source");
        rest().deleteConnector("late-sink");
    }

    @Test
    void theValidateEndpointNamesEveryInvalidKey() {
        Map<String, String> bad = new HashMap<>();
        bad.put("name", "bad-source");
        bad.put("connector.class", "ClfsSourceConnector");
        bad.put("tasks.max", "1");
        bad.put(ClfsSourceConfig.TOPIC, "replay.${offset}");
        bad.put(ClfsSourceConfig.MODE, "range");
        bad.put(ClfsSourceConfig.FROM_LSN, "00000002:00000000");
        bad.put(ClfsSourceConfig.TO_LSN, "00000001:00000200");
        bad.put(ClfsSourceConfig.BATCH_SIZE, "0");
        bad.put(ClfsSourceConfig.MAX_RECORDS_PER_SECOND, "-5");
        JsonNode result = rest().validate("ClfsSourceConnector", bad);
        Map<String, String> errors = new HashMap<>();
        for (JsonNode c : result.path("configs")) {
            JsonNode v = c.path("value");
            if (!v.path("errors").isEmpty()) {
                errors.put(v.path("name").asText(), v.path("errors").toString());
            }
        }
        assertThat(errors).containsOnlyKeys(ClfsSourceConfig.LOG_DIR, ClfsSourceConfig.TOPIC, ClfsSourceConfig.TO_LSN,
                ClfsSourceConfig.BATCH_SIZE, ClfsSourceConfig.MAX_RECORDS_PER_SECOND);
        assertThat(errors.get(ClfsSourceConfig.TO_LSN)).contains("must be above");
        assertThat(result.path("error_count").asInt()).isEqualTo(errors.size());
    }

    @Test
    void aRecordTooLargeForKafkaFailsTheTaskNamingItsLsnAndSizeOrIsSkippedWithToleranceAll() {
        String topic = "big";
        CONNECT.createTopic(topic, 1);
        CONNECT.createTopic(topic + ".replay", 1);
        rest().putConnector("big-sink", sinkConfig(topic, logs, 1));
        rest().awaitRunning("big-sink", 1, TIMEOUT);
        Map<TopicPartition, Long> ends = new HashMap<>();
        try (TestProducer producer = CONNECT.producer()) {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                byte[] value = i == 1 ? new byte[2 << 20] : ("small-" + i).getBytes(StandardCharsets.UTF_8);
                records.add(new ProducerRecord<>(topic, 0, SampleRecords.BASE_TIMESTAMP + i, null, value));
            }
            producer.sendAll(records);
        }
        ends.put(new TopicPartition(topic, 0), 3L);
        CONNECT.awaitCommitted("big-sink", ends, TIMEOUT);
        Path logDir = Journals.dirOf(logs, topic, 0);
        Journals.await(TIMEOUT, () -> ReplayCheck.releasedEnd(logDir) == 3, () -> "the sink released the 3 records");
        long bigLsn = lsnsByOffset(logDir).get(1);

        rest().putConnector("big-source", sourceConfig(logs, 1));
        String trace = rest().awaitFailedTask("big-source", TIMEOUT);
        assertThat(trace).contains("LSN " + Lsn.toString(bigLsn)).containsPattern("takes 2097\\d{3} bytes")
                .contains(ClfsSourceConfig.MAX_RECORD_BYTES);
        rest().deleteConnector("big-source");

        // Without the check, Kafka's producer refuses it: the task fails with Kafka's error, which has the size.
        Map<String, String> unchecked = sourceConfig(logs, 1);
        unchecked.put(ClfsSourceConfig.MAX_RECORD_BYTES, "-1");
        rest().putConnector("big-unchecked", unchecked);
        assertThat(rest().awaitFailedTask("big-unchecked", TIMEOUT)).contains("RecordTooLargeException")
                .containsPattern("2097\\d{3} bytes");
        rest().deleteConnector("big-unchecked");

        Map<String, String> tolerant = sourceConfig(logs, 1);
        tolerant.put("errors.tolerance", "all");
        rest().putConnector("big-tolerant", tolerant);
        rest().awaitRunning("big-tolerant", 1, TIMEOUT);
        Journals.await(TIMEOUT, () -> ReplayCheck.archived(logDir), () -> "the archive tail passed the skipped record");
        List<ConsumerRecord<byte[], byte[]>> replayed = ReplayCheck.read(CONNECT.bootstrapServers(),
                new TopicPartition(topic + ".replay", 0), -1);
        // The failed unchecked task may have written record 0 before it failed: at least once, never record 1.
        assertThat(replayed).extracting(r -> header(r, "clfs.origin.offset")).containsOnly("0", "2").contains("0", "2");
        rest().deleteConnector("big-tolerant");
        rest().deleteConnector("big-sink");
    }
}

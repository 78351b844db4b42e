package io.clfs.streams.app;

import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogRecord;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import io.clfs.log.ReadContext;
import io.clfs.log.RecordFilter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 100k records over 4 partitions journaled by the application in its own JVM, killed with SIGKILL
 * in the middle and started again: the journal holds every record once, in offset order, byte for
 * byte, and (with exactly_once_v2) the receipt topic holds one committed receipt per record, whose
 * LSN is where the journal holds it.
 */
@ExtendWith(KafkaBroker.Extension.class)
class JournalCrashIT {
    private static final Logger LOG = LoggerFactory.getLogger(JournalCrashIT.class);
    private static final int PARTITIONS = 4;
    private static final int RECORDS = 100_000;
    private static final int KILL_AFTER_RECEIPTS = 20_000;
    private static final Pattern RECEIPT = Pattern.compile(
            "\\{\"lsn\":\"([0-9a-f]{8}:[0-9a-f]{8})\",\"topic\":\"([^\"]+)\",\"partition\":(\\d+),\"offset\":(\\d+)}");

    /** Record timestamps: recent, or the broker's retention deletes the records as soon as it looks. */
    private static final long T0 = System.currentTimeMillis();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE})
    void killedInTheMiddleAndRestartedTheJournalHoldsEveryRecordOnce(String guarantee, KafkaBroker kafka)
            throws Exception {
        String suffix = guarantee.replace('_', '-');
        String input = "crash-in-" + suffix;
        String receipts = "crash-receipts-" + suffix;
        String appId = "journal-crash-it-" + suffix;
        kafka.createTopic(input, PARTITIONS);
        kafka.createTopic(receipts, PARTITIONS);
        // Kept under target/ after the run, for the clfs tool or a post-mortem.
        Path journal = Path.of("target", "it-data", "journal-crash-" + suffix).toAbsolutePath();
        deleteRecursively(journal);
        Path config = writeConfig(kafka, guarantee, input, receipts, appId, journal);
        Path output = Files.createDirectories(Path.of("target", "it-logs")).resolve("journal-crash-" + suffix + ".log");
        Files.deleteIfExists(output);

        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            KafkaBroker.sendAll(producer, records(input, 0, RECORDS / 2));
            int atKill;
            try (AppProcess app = AppProcess.start(config, output)) {
                atKill = awaitReceipts(kafka, receipts, KILL_AFTER_RECEIPTS, app, output);
                app.kill();
            }
            LOG.info("{}: killed the application with {} receipts (end offsets); committed input offsets {}", guarantee,
                    atKill, kafka.committed(appId, input));
            assertThat(atKill).as("killed in the middle").isLessThan(RECORDS);
            KafkaBroker.sendAll(producer, records(input, RECORDS / 2, RECORDS));
        }
        try (AppProcess app = AppProcess.start(config, output)) {
            kafka.awaitConsumed(appId, input, PARTITIONS, Duration.ofMinutes(3));
            assertThat(app.alive()).as("still running; see " + output).isTrue();
            int exit = app.terminate(Duration.ofSeconds(60));
            assertThat(exit).as("exit code after SIGTERM (143 = terminated by the signal, after the hook)")
                    .isIn(0, 143);
            assertThat(Files.readString(output)).as("clean shutdown in " + output)
                    .contains("State transition from PENDING_SHUTDOWN to NOT_RUNNING")
                    .contains("Journal store 'clfs-journal' closed");
        }

        Map<Integer, List<Long>> journaledLsns = checkJournal(journal, input);
        checkReceipts(kafka, receipts, input, guarantee, journaledLsns);
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private Path writeConfig(KafkaBroker kafka, String guarantee, String input, String receipts, String appId,
                             Path journal) throws Exception {
        Path config = tmp.resolve("journal.properties");
        Files.writeString(config, String.join("\n",
                "clfs.topology=journal",
                "clfs.journal.topics=" + input,
                "clfs.journal.dir=" + journal,
                "clfs.journal.receipt.topic=" + receipts,
                "clfs.journal.container.bytes=1048576",
                "clfs.shutdown.timeout.ms=30000",
                "application.id=" + appId,
                "bootstrap.servers=" + kafka.bootstrapServers(),
                "processing.guarantee=" + guarantee,
                "state.dir=" + tmp.resolve("state"),
                "num.stream.threads=2",
                "commit.interval.ms=200",
                // A killed member leaves the group when its session expires: keep that short.
                "session.timeout.ms=6000",
                "heartbeat.interval.ms=1000",
                "transaction.timeout.ms=10000",
                "processing.exception.handler.global.enabled=true",
                ""));
        return config;
    }

    /** Record i goes to partition i % 4, so partition p holds i = p, p + 4, ... in offset order. */
    private static List<ProducerRecord<byte[], byte[]>> records(String topic, int from, int to) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(new ProducerRecord<>(topic, i % PARTITIONS, T0 + i, key(i), value(i)));
        }
        return out;
    }

    private static byte[] key(int i) {
        return ("key-" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(int i) {
        return ("value-" + i + "-" + "x".repeat(i % 50)).getBytes(StandardCharsets.UTF_8);
    }

    private static int awaitReceipts(KafkaBroker kafka, String receipts, int atLeast, AppProcess app, Path output) {
        int[] seen = {0};
        KafkaBroker.waitUntil(Duration.ofMinutes(2), () -> atLeast + " receipts (saw " + seen[0] + "; see " + output + ")",
                () -> {
                    if (!app.alive()) {
                        throw new AssertionError("the application exited early; see " + output);
                    }
                    try {
                        seen[0] = kafka.endOffsets(receipts, PARTITIONS).values().stream().mapToInt(Long::intValue).sum();
                    } catch (Exception e) {
                        return false;
                    }
                    return seen[0] >= atLeast;
                });
        return seen[0];
    }

    /** Every partition's stream holds offsets 0..n-1 once each, in order, with the bytes produced; returns the LSNs. */
    private static Map<Integer, List<Long>> checkJournal(Path journal, String input) {
        Map<Integer, List<Long>> lsns = new HashMap<>();
        int perPartition = RECORDS / PARTITIONS;
        try (ClfsLog log = ClfsLog.openReadOnly(journal)) {
            for (int p = 0; p < PARTITIONS; p++) {
                LogStream s = log.stream(input + "-" + p);
                List<Long> partitionLsns = new ArrayList<>(perPartition);
                try (ReadContext ctx = s.readFromTail(RecordFilter.DATA)) {
                    long expected = 0;
                    for (LogRecord r = ctx.next(); r != null; r = ctx.next()) {
                        Envelope e = EnvelopeCodec.decode(r.data());
                        int i = (int) (expected * PARTITIONS + p);
                        assertThat(e.offset()).as("partition %d record %d", p, expected).isEqualTo(expected);
                        assertThat(e.key().bytes()).isEqualTo(key(i));
                        assertThat(e.value().bytes()).isEqualTo(value(i));
                        assertThat(e.timestamp()).isEqualTo(T0 + i);
                        partitionLsns.add(r.lsn());
                        expected++;
                    }
                }
                assertThat(partitionLsns).as("records journaled for partition %d", p).hasSize(perPartition);
                SinkRestartArea area = SinkRestartArea.decode(s.readRestartArea().data());
                assertThat(area.lastOffset()).isEqualTo(perPartition - 1);
                assertThat(area.recordsJournaled()).isEqualTo(perPartition);
                lsns.put(p, partitionLsns);
            }
        }
        return lsns;
    }

    private static void checkReceipts(KafkaBroker kafka, String receipts, String input, String guarantee,
                                      Map<Integer, List<Long>> lsns) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> all = kafka.readAll(receipts, Duration.ofMinutes(1));
        boolean exactlyOnce = StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee);
        Set<String> rightLsn = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : all) {
            Matcher m = RECEIPT.matcher(new String(r.value(), StandardCharsets.UTF_8));
            assertThat(m.matches()).as("receipt %s", new String(r.value(), StandardCharsets.UTF_8)).isTrue();
            int partition = Integer.parseInt(m.group(3));
            int offset = Integer.parseInt(m.group(4));
            assertThat(m.group(2)).isEqualTo(input);
            assertThat(r.key()).isEqualTo(key(offset * PARTITIONS + partition));
            boolean right = Lsn.parse(m.group(1)) == lsns.get(partition).get(offset);
            if (exactlyOnce) {
                assertThat(right).as("receipt LSN of %d@%d", partition, offset).isTrue();
            }
            if (right) {
                rightLsn.add(partition + "@" + offset);
            }
        }
        // at_least_once may also leave receipts sent before a crash lost their record's first journaling.
        List<String> missing = new ArrayList<>();
        for (int p = 0; p < PARTITIONS && missing.size() < 30; p++) {
            for (int o = 0; o < RECORDS / PARTITIONS && missing.size() < 30; o++) {
                if (!rightLsn.contains(p + "@" + o)) {
                    missing.add(p + "@" + o);
                }
            }
        }
        assertThat(rightLsn).as("records with a receipt naming their journal LSN; first missing: %s", missing)
                .hasSize(RECORDS);
        if (exactlyOnce) {
            assertThat(all).as("committed receipts: one per record").hasSize(RECORDS);
        }
    }
}

package io.clfs.connect.source;

import io.clfs.connect.testing.ConnectorConfigs;
import io.clfs.connect.testing.ConnectFixture;
import io.clfs.connect.testing.Journals;
import io.clfs.connect.testing.SampleRecords;
import io.clfs.tool.ClfsTool;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer groups follow the data (issue 15, part 4), end to end: a group halfway through a topic;
 * the sink journals the topic and a range replay restores it into a new topic; {@code clfs offsets
 * translate --apply} moves the group there; the group then reads exactly what it had not read.
 * Subclasses bring the Kafka and the Connect worker as a {@link ConnectFixture}: embedded, or in Docker.
 */
abstract class OffsetsTranslateContract {
    private static final int PARTITIONS = 3;
    private static final int RECORDS = 3_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final ConnectFixture kafka;

    OffsetsTranslateContract(ConnectFixture kafka) {
        this.kafka = kafka;
    }

    @TempDir
    Path logs;

    @Test
    void aGroupHalfwayThroughTheOriginReadsTheRestFromTheRestoreNoneTwiceNoneMissed() throws Exception {
        String origin = "orders";
        String restored = "orders-restored";
        String group = "billing";
        kafka.createTopic(origin, PARTITIONS);
        kafka.createTopic(restored, PARTITIONS);
        Map<TopicPartition, Long> ends = kafka.produce(new SampleRecords(origin, PARTITIONS, false), 0, RECORDS);

        // The group reads about half of each partition (a different amount each) and commits.
        Map<Integer, Long> committed = new TreeMap<>();
        ends.forEach((tp, end) -> committed.put(tp.partition(), end / 2 + 7L * tp.partition()));
        commit(group, origin, committed);

        kafka.rest().putConnector("clfs-sink", ConnectorConfigs.byteSink(origin, logs, 1));
        kafka.awaitCommitted("clfs-sink", ends, TIMEOUT);
        kafka.rest().deleteConnector("clfs-sink");
        Map<String, String> source = ConnectorConfigs.byteSource(logs, 1);
        source.put(ClfsSourceConfig.MODE, "range");
        source.put(ClfsSourceConfig.FROM_OFFSET, "0"); // the whole of each log
        source.put(ClfsSourceConfig.TOPIC, restored);
        kafka.rest().putConnector("clfs-restore", source);
        awaitRecords(restored, RECORDS);
        kafka.rest().deleteConnector("clfs-restore");

        String[] translate = {"offsets", "translate", "--bootstrap", kafka.bootstrapServers(), "--group", group,
                "--from-topic", origin, "--to-topic", restored, "--json"};
        Run inProcess = tool(translate);
        assertThat(inProcess.exit).as(inProcess.err).isEqualTo(ClfsTool.OK);
        assertThat(inProcess.out).contains("\"applied\":false");
        // bin/clfs runs the shaded jar alone: it must bring the Kafka clients with it.
        assertThat(toolJar(translate)).isEqualTo(inProcess);

        // Each log was replayed whole, once, into its own partition: the offsets there are the origin's.
        Run text = tool(Arrays.copyOf(translate, translate.length - 1));
        List<String> lines = new ArrayList<>();
        committed.forEach((p, c) -> lines.add(origin + "-" + p + " committed=" + c + " -> " + restored + "-" + p
                + " offset=" + c));
        lines.add("plan only: --apply commits it for group " + group);
        assertThat(text.out.lines()).containsExactlyElementsOf(lines);

        Run plan = tool(Stream.concat(Arrays.stream(translate), Stream.of("--apply")).toArray(String[]::new));
        assertThat(plan.exit).as(plan.err).isEqualTo(ClfsTool.OK);
        assertThat(plan.out).contains("\"applied\":true");

        Set<String> expected = new HashSet<>();
        ends.forEach((tp, end) -> {
            for (long o = committed.get(tp.partition()); o < end; o++) {
                expected.add(tp.partition() + "@" + o);
            }
        });
        try (KafkaConsumer<byte[], byte[]> member = consumer(group, "translate-it-member")) {
            member.subscribe(List.of(restored));
            List<String> read = readToEnd(member, restored);
            assertThat(read).doesNotHaveDuplicates();
            assertThat(new HashSet<>(read)).isEqualTo(expected);

            Run refused = tool("offsets", "translate", "--bootstrap", kafka.bootstrapServers(), "--group", group,
                    "--from-topic", origin, "--to-topic", restored, "--apply");
            assertThat(refused.exit).isEqualTo(ClfsTool.FAILED);
            assertThat(refused.err).contains("group " + group + " has active members", "translate-it-member");
        }
    }

    private void commit(String group, String topic, Map<Integer, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> m = new HashMap<>();
        offsets.forEach((p, o) -> m.put(new TopicPartition(topic, p), new OffsetAndMetadata(o)));
        try (KafkaConsumer<byte[], byte[]> c = consumer(group, "translate-it-reader")) {
            c.assign(m.keySet());
            c.commitSync(m);
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer(String group, String clientId) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A partition the translation missed would be read from the start: the comparison would see it.
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Reads the group's share of the topic until its position is at each partition's end: "partition@originOffset" each. */
    private List<String> readToEnd(KafkaConsumer<byte[], byte[]> member, String topic) {
        List<String> read = new ArrayList<>();
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            all.add(new TopicPartition(topic, p));
        }
        Map<TopicPartition, Long> ends = member.endOffsets(all);
        Journals.await(TIMEOUT, () -> {
            for (ConsumerRecord<byte[], byte[]> r : member.poll(Duration.ofMillis(200))) {
                read.add(header(r, "clfs.origin.partition") + "@" + header(r, "clfs.origin.offset"));
            }
            return member.assignment().size() == PARTITIONS
                    && all.stream().allMatch(tp -> member.position(tp) >= ends.get(tp));
        }, () -> "the group did not reach the end of " + topic + ": read " + read.size());
        return read;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "no " + name : new String(h.value(), StandardCharsets.UTF_8);
    }

    private void awaitRecords(String topic, long n) {
        try (KafkaConsumer<byte[], byte[]> c = consumer("unused", "translate-it-counter")) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                all.add(new TopicPartition(topic, p));
            }
            Journals.await(TIMEOUT, () -> c.endOffsets(all).values().stream().mapToLong(Long::longValue).sum() >= n,
                    () -> topic + " holds " + c.endOffsets(all) + ", not " + n + " records");
        }
    }

    private record Run(int exit, String out, String err) {
    }

    /** The tool as bin/clfs runs it: the shaded jar (the package phase, before the integration tests, built it). */
    private static Run toolJar(String... args) throws IOException, InterruptedException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(f -> f.getFileName().toString().matches("clfs-connector-.*-tool\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no tool jar in target/: run the package phase"));
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the tool jar ended").isTrue();
        return new Run(p.exitValue(), out, new String(err.join(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Run tool(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = ClfsTool.commandLine(new ByteArrayInputStream(new byte[0]), new PrintWriter(out),
                new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}

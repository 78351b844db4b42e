package io.clfs.connect.sink;

import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogRecord;
import io.clfs.log.ReadContext;
import io.clfs.log.RecordFilter;
import io.clfs.log.io.FileIO;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The task on a real file system that fills up and empties again: a 40 MiB tmpfs (mounting needs
 * root; skipped otherwise). With {@code block} only the partitions that need space wait, paused,
 * and resume by themselves once a filler file is deleted, with nothing lost or journaled twice;
 * with {@code fail} the task fails naming the full file system.
 */
class SinkDiskFullTest {
    private static final String TOPIC = "orders";
    private static final TopicPartition TP0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition TP1 = new TopicPartition(TOPIC, 1);
    private static final TopicPartition TP2 = new TopicPartition(TOPIC, 2);
    private static final int MIB = 1 << 20;
    private static final long RETRY_MS = 1_000;

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final List<ClfsSinkTask> started = new ArrayList<>();
    private Path mountPoint;
    private Path logs;

    @BeforeEach
    void mountSmallFileSystem() throws Exception {
        mountPoint = Files.createTempDirectory("clfs-tmpfs");
        String result = run("mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", mountPoint.toString());
        if (result != null) {
            Files.delete(mountPoint);
            mountPoint = null;
        }
        assumeTrue(result == null, "needs a 40 MiB tmpfs, and mounting one is not permitted here: " + result);
        logs = mountPoint.resolve("logs");
    }

    @AfterEach
    void unmount() throws Exception {
        started.forEach(ClfsSinkTask::stop);
        if (mountPoint != null) {
            String result = run("umount", mountPoint.toString());
            assertThat(result).as("umount " + mountPoint).isNull();
            Files.delete(mountPoint);
        }
    }

    /** Runs a command; null when it exits 0, else what went wrong. */
    private static String run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", command) + " did not finish in 30 s";
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 ? null : String.join(" ", command) + " exited " + p.exitValue() + ": " + output;
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e.getMessage();
        }
    }

    /** Writes a file until the file system has no space left; returns it. */
    private Path fillTheDisk() throws IOException {
        Path filler = mountPoint.resolve("filler");
        try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int chunk = MIB; chunk >= 4096; chunk /= 16) {
                ByteBuffer b = ByteBuffer.allocate(chunk);
                try {
                    for (;;) {
                        ch.write(b.clear());
                    }
                } catch (IOException noSpace) {
                    assertThat(noSpace).hasMessageContaining("No space left on device");
                }
            }
        }
        assertThat(Files.getFileStore(mountPoint).getUsableSpace()).isLessThan(64 << 10);
        return filler;
    }

    private Map<String, String> props(String behavior) {
        return Map.of(ClfsSinkConfig.LOG_DIR, logs.toString(), ClfsSinkConfig.CONTAINER_SIZE, Integer.toString(MIB),
                ClfsSinkConfig.LOG_FULL_BEHAVIOR, behavior, ClfsSinkConfig.LOG_FULL_RETRY_MS, Long.toString(RETRY_MS));
    }

    private ClfsSinkTask start(FakeSinkTaskContext ctx, Map<String, String> props, TopicPartition... tps) {
        ClfsSinkTask task = new ClfsSinkTask(clock::get, FileIO.real());
        task.initialize(ctx);
        task.start(props);
        started.add(task);
        task.open(List.of(tps));
        return task;
    }

    private static byte[] value(TopicPartition tp, long offset) {
        byte[] v = new byte[1000];
        Arrays.fill(v, (byte) (offset + tp.partition()));
        return v;
    }

    /** What Connect's consumer does for the task: delivers each partition from its position unless paused, and follows seeks. */
    private static final class Consumer {
        private final FakeSinkTaskContext ctx;
        private final Map<TopicPartition, Long> ends = new HashMap<>();
        private final Map<TopicPartition, Long> positions = new HashMap<>();

        Consumer(FakeSinkTaskContext ctx) {
            this.ctx = ctx;
        }

        /** The topic holds the records of {@code tp} below {@code end}. */
        void produce(TopicPartition tp, long end) {
            ends.put(tp, end);
        }

        List<SinkRecord> poll() {
            positions.putAll(ctx.offsets);
            ctx.offsets.clear();
            List<SinkRecord> out = new ArrayList<>();
            ends.forEach((tp, end) -> {
                long from = positions.getOrDefault(tp, 0L);
                long to = ctx.paused.contains(tp) ? from : Math.min(end, from + 100);
                for (long o = from; o < to; o++) {
                    out.add(new SinkRecord(tp.topic(), tp.partition(), null, null, Schema.BYTES_SCHEMA, value(tp, o), o,
                            o, TimestampType.CREATE_TIME));
                }
                positions.put(tp, to);
            });
            return out;
        }

        boolean allDelivered() {
            return ends.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L).equals(e.getValue()));
        }
    }

    private List<Envelope> journal(TopicPartition tp) {
        List<Envelope> out = new ArrayList<>();
        try (ClfsLog log = ClfsLog.openReadOnly(PartitionJournal.dirOf(logs, tp));
             ReadContext ctx = log.stream().readFromTail(RecordFilter.DATA)) {
            for (LogRecord r = ctx.next(); r != null; r = ctx.next()) {
                out.add(EnvelopeCodec.decode(r.data()));
            }
        }
        return out;
    }

    private static List<String> files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".lock")).toList();
        }
    }

    @Test
    void withBlockOnlyThePartitionsThatNeedSpaceWaitAndTheyResumeByThemselvesOnceItIsFreed() throws Exception {
        FakeSinkTaskContext ctx = new FakeSinkTaskContext();
        ClfsSinkTask task = start(ctx, props("block"), TP0, TP1);
        Consumer consumer = new Consumer(ctx);
        consumer.produce(TP0, 500);
        consumer.produce(TP1, 500);
        while (!consumer.allDelivered()) {
            task.put(consumer.poll());
        }
        Path filler = fillTheDisk();

        task.open(List.of(TP2)); // its log cannot be created: the partition waits
        assertThat(ctx.paused).containsExactly(TP2);
        assertThat(files(PartitionJournal.dirOf(logs, TP2))).as("no partial log is left").isEmpty();
        consumer.produce(TP2, 2);
        ctx.paused.remove(TP2); // records fetched before the pause still arrive: not journaled, delivered again later
        task.put(consumer.poll());
        ctx.paused.add(TP2);
        assertThat(ctx.offsets).containsEntry(TP2, 0L);

        consumer.produce(TP0, 3_000); // more than the two containers of its log hold
        consumer.produce(TP1, 800); // fits in its first container, filled before the disk was (the spare is a header)
        consumer.produce(TP2, 300);
        for (int round = 0; round < 100 && !ctx.paused.contains(TP0); round++) {
            task.put(consumer.poll());
        }
        assertThat(ctx.paused).as("paused for lack of space").containsExactlyInAnyOrder(TP0, TP2);
        for (int round = 0; round < 20; round++) { // the disk stays full: retries pause again, nothing fails
            clock.addAndGet(RETRY_MS);
            task.put(consumer.poll());
        }
        Map<TopicPartition, OffsetAndMetadata> committed = task.preCommit(Map.of());
        assertThat(committed).as("the other partition went on").containsEntry(TP1, new OffsetAndMetadata(800))
                .doesNotContainKey(TP2);
        long stuck = committed.get(TP0).offset();
        assertThat(stuck).isBetween(500L, 2_999L);
        assertThat(ctx.metric("disk-full-pauses-total")).isGreaterThanOrEqualTo(2.0);
        assertThat(ctx.metric("partitions-paused")).isIn(1.0, 2.0); // TP0 is between a retry and its next pause

        Files.delete(filler);
        for (int round = 0; round < 200 && !(consumer.allDelivered() && ctx.paused.isEmpty()); round++) {
            clock.addAndGet(RETRY_MS);
            task.put(consumer.poll());
        }
        assertThat(ctx.paused).isEmpty();
        assertThat(task.preCommit(Map.of())).containsEntry(TP0, new OffsetAndMetadata(3_000))
                .containsEntry(TP1, new OffsetAndMetadata(800)).containsEntry(TP2, new OffsetAndMetadata(300));
        assertThat(ctx.metric("partitions-paused")).isZero();
        started.remove(task);
        task.stop();

        for (Map.Entry<TopicPartition, Long> e : Map.of(TP0, 3_000L, TP1, 800L, TP2, 300L).entrySet()) {
            List<Envelope> journaled = journal(e.getKey());
            assertThat(journaled).extracting(Envelope::offset).as("%s: every record once, in order", e.getKey())
                    .containsExactlyElementsOf(LongStream.range(0, e.getValue()).boxed().toList());
            Envelope last = journaled.get(journaled.size() - 1);
            assertThat(last.value().bytes()).isEqualTo(value(e.getKey(), last.offset()));
        }
    }

    @Test
    void withFailTheTaskFailsNamingTheFullFileSystem() throws Exception {
        FakeSinkTaskContext ctx = new FakeSinkTaskContext();
        ClfsSinkTask task = start(ctx, props("fail"), TP0);
        Consumer consumer = new Consumer(ctx);
        consumer.produce(TP0, 3_000);
        task.put(consumer.poll());
        fillTheDisk();
        assertThatThrownBy(() -> {
            while (!consumer.allDelivered()) {
                task.put(consumer.poll());
            }
        }).isInstanceOf(ConnectException.class).hasMessageContaining("clfs.log.full.behavior=fail")
                .hasMessageContaining("no space left on device").hasMessageContaining(PartitionJournal.dirOf(logs, TP0)
                        .toString()).hasMessageContaining("container-");
        assertThat(task.preCommit(Map.of())).isEmpty();

        FakeSinkTaskContext other = new FakeSinkTaskContext();
        ClfsSinkTask second = new ClfsSinkTask(clock::get, FileIO.real());
        second.initialize(other);
        second.start(props("fail"));
        started.add(second);
        assertThatThrownBy(() -> second.open(List.of(TP1))).isInstanceOf(ConnectException.class)
                .hasMessageContaining("cannot create the log of orders-1").hasMessageContaining("no space left on device");
        assertThat(files(PartitionJournal.dirOf(logs, TP1))).isEmpty();
    }
}

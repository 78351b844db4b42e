package io.clfs.connect.sink;

import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogRecord;
import io.clfs.log.ReadContext;
import io.clfs.log.RecordFilter;
import io.clfs.log.engine.MetadataStore;
import io.clfs.log.engine.OwnerLock;
import io.clfs.log.io.DelegatingFileIO;
import io.clfs.log.io.FileIO;
import io.clfs.log.io.ForeignWriter;
import io.clfs.log.io.LockHandle;
import io.clfs.connect.testing.Journals;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A partition whose log another writer holds: the task waits for it, paused, while its other
 * partitions go on, then takes it over; and the other side, a task whose log was taken over, gives
 * that partition up without failing and without committing it. The clock is the test's.
 */
class SinkTakeoverTest {
    private static final String TOPIC = "orders";
    private static final TopicPartition TP0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition TP1 = new TopicPartition(TOPIC, 1);

    @TempDir
    Path dir;
    @TempDir
    Path work;
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final List<ClfsSinkTask> started = new ArrayList<>();

    @AfterEach
    void stopTasks() {
        started.forEach(ClfsSinkTask::stop);
    }

    private ClfsSinkTask start(FakeSinkTaskContext ctx, FileIO io, TopicPartition... tps) {
        ClfsSinkTask task = new ClfsSinkTask(clock::get, io);
        task.initialize(ctx);
        task.start(Map.of(ClfsSinkConfig.LOG_DIR, dir.toString(), ClfsSinkConfig.OPEN_TIMEOUT_MS, "5000"));
        started.add(task);
        task.open(List.of(tps));
        return task;
    }

    private static List<SinkRecord> records(TopicPartition tp, long from, long to) {
        List<SinkRecord> out = new ArrayList<>();
        for (long o = from; o < to; o++) {
            out.add(new SinkRecord(tp.topic(), tp.partition(), Schema.OPTIONAL_BYTES_SCHEMA, null,
                    Schema.OPTIONAL_BYTES_SCHEMA, ("v" + o).getBytes(StandardCharsets.UTF_8), o, o,
                    TimestampType.CREATE_TIME));
        }
        return out;
    }

    private List<Long> journaled(TopicPartition tp) {
        List<Long> out = new ArrayList<>();
        try (ClfsLog log = ClfsLog.openReadOnly(LogGenerations.dirOf(dir, tp, 0));
             ReadContext ctx = log.stream().readFromTail(RecordFilter.DATA)) {
            for (LogRecord r = ctx.next(); r != null; r = ctx.next()) {
                out.add(EnvelopeCodec.decode(r.data()).offset());
            }
        }
        return out;
    }

    private static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }

    /** Journals offsets 0-2 of {@code tp} with a task that then stops, so that its log exists. */
    private void journalThreeAndStop(TopicPartition tp) {
        ClfsSinkTask first = start(new FakeSinkTaskContext(), FileIO.real(), tp);
        first.put(records(tp, 0, 3));
        first.preCommit(Map.of());
        started.remove(first);
        first.stop();
    }

    @Test
    void aLogHeldByAnotherProcessPausesOnlyItsPartitionThenIsTakenOverAndItsWriterFenced() throws Exception {
        journalThreeAndStop(TP0);
        Path log0 = LogGenerations.dirOf(dir, TP0, 0);
        try (ForeignWriter holder = ForeignWriter.start(log0, work)) {
            Journals.await(Duration.ofSeconds(60), () -> ownerFileNames(log0, "pid=" + holder.pid()),
                    () -> "the other process did not open the log");
            FakeSinkTaskContext ctx = new FakeSinkTaskContext();
            ClfsSinkTask task = start(ctx, FileIO.real(), TP0, TP1);
            assertThat(ctx.paused).containsExactly(TP0);
            assertThat(ctx.metric("partitions-paused")).isEqualTo(1.0);

            task.put(records(TP1, 0, 5));
            task.put(records(TP0, 3, 5)); // delivered before the pause took effect: they come again
            assertThat(ctx.offsets).containsEntry(TP0, 3L);
            assertThat(task.preCommit(Map.of())).containsOnlyKeys(TP1).containsEntry(TP1, new OffsetAndMetadata(5));

            clock.addAndGet(4_900);
            task.put(List.of());
            assertThat(ctx.paused).as("still within the open timeout").containsExactly(TP0);
            clock.addAndGet(100); // the next retry, 5 s after the log was first found held
            task.put(List.of());
            assertThat(ctx.paused).isEmpty();
            assertThat(ctx.metric("log-takeovers-total")).isEqualTo(1.0);
            assertThat(ctx.metric("partitions-paused")).isEqualTo(0.0);
            assertThat(Files.readString(log0.resolve(OwnerLock.OWNER_FILE))).startsWith("owner=unnamed ");

            assertThat(holder.append("late")).as("the old writer's next flush fails").isNull();
            assertThat(holder.awaitExit()).isNotZero();
            // fenced after its open, or during it when the child JVM was slow to start; or, when the takeover's
            // fence replaced clfs.meta while the child's own open was still fencing, stopped by the replaced file
            assertThat(holder.errors()).containsPattern("(newer|another) writer|clfs.meta: replaced while the log had it open");

            task.put(records(TP0, 3, 6));
            assertThat(task.preCommit(Map.of())).containsEntry(TP0, new OffsetAndMetadata(6))
                    .containsEntry(TP1, new OffsetAndMetadata(5));
        }
        assertThat(journaled(TP0)).isEqualTo(range(0, 6));
    }

    private static boolean ownerFileNames(Path log, String what) {
        try {
            return Files.readString(log.resolve(OwnerLock.OWNER_FILE)).contains(what);
        } catch (IOException notYet) {
            return false;
        }
    }

    /** The disk, with an owner lock every writer gets: a newer writer in this JVM fences the task's. */
    private static final class NoOwnerLock extends DelegatingFileIO {
        NoOwnerLock() {
            super(FileIO.real());
        }

        @Override
        public LockHandle lock(Path lockFile, boolean wait) throws IOException {
            return lockFile.getFileName().toString().equals("clfs.lock") ? () -> { } : super.lock(lockFile, wait);
        }
    }

    @Test
    void aTaskFencedByANewerWriterGivesThePartitionUpWithoutFailingOrCommittingIt() {
        FileIO io = new NoOwnerLock();
        FakeSinkTaskContext ctx = new FakeSinkTaskContext();
        ClfsSinkTask task = start(ctx, io, TP0, TP1);
        task.put(records(TP0, 0, 3));
        task.put(records(TP1, 0, 3));
        assertThat(task.preCommit(Map.of())).containsOnlyKeys(TP0, TP1);
        task.put(records(TP0, 3, 5));

        ClfsLog.open(io, LogGenerations.dirOf(dir, TP0, 0)).close(); // the newer owner: its epoch fences the task's

        task.put(records(TP1, 3, 6));
        Map<TopicPartition, OffsetAndMetadata> offsets = task.preCommit(Map.of());
        assertThat(offsets).as("nothing for the fenced partition").containsOnlyKeys(TP1)
                .containsEntry(TP1, new OffsetAndMetadata(6));
        assertThat(ctx.metric("logs-fenced-total")).isEqualTo(1.0);
        assertThat(ctx.paused).containsExactly(TP0);

        task.put(records(TP0, 5, 7)); // still delivered until Connect revokes it: dropped, no failure
        task.put(records(TP1, 6, 7));
        assertThat(task.preCommit(Map.of())).containsOnlyKeys(TP1);
        task.close(List.of(TP0));
        assertThat(ctx.paused).isEmpty();
        task.put(records(TP1, 7, 8));
        assertThat(task.preCommit(Map.of())).containsEntry(TP1, new OffsetAndMetadata(8));
        // Only the acknowledged records are asserted: the fenced flush wrote its blocks before it failed, and
        // keeping such blocks out of the log is the data-path fencing's part (docs/format.md).
        assertThat(journaled(TP0)).startsWith(0L, 1L, 2L);
    }

    @Test
    void aTaskWhoseLockFileWasReplacedGivesThePartitionUpBeforeWritingAgain() throws Exception {
        FakeSinkTaskContext ctx = new FakeSinkTaskContext();
        ClfsSinkTask task = start(ctx, FileIO.real(), TP0, TP1);
        task.put(records(TP0, 0, 3));
        assertThat(task.preCommit(Map.of())).containsEntry(TP0, new OffsetAndMetadata(3));
        task.put(records(TP0, 3, 5));

        // What a takeover by another process does to the directory (FileIO.lockReplacing): a new lock file.
        Path log0 = LogGenerations.dirOf(dir, TP0, 0);
        Path fresh = Files.writeString(work.resolve("clfs.lock"), "");
        Files.move(fresh, log0.resolve("clfs.lock"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        byte[] container = containerBytes(log0);

        task.put(records(TP1, 0, 2));
        assertThat(task.preCommit(Map.of())).containsOnlyKeys(TP1);
        assertThat(ctx.metric("logs-fenced-total")).isEqualTo(1.0);
        task.close(List.of(TP0, TP1));
        assertThat(containerBytes(log0)).as("the given-up writer wrote nothing more").isEqualTo(container);
        assertThat(journaled(TP0)).isEqualTo(range(0, 3));
    }

    /** The disk, where another opener's fence replaces a log's metadata just as the task's own open fences. */
    private static final class RacingOpener extends DelegatingFileIO {
        private final Path log;
        private boolean raced;

        RacingOpener(Path log) {
            super(FileIO.real());
            this.log = log;
        }

        @Override
        public LockHandle lock(Path lockFile, boolean wait) throws IOException {
            if (!raced && lockFile.equals(log.resolve(MetadataStore.LOCK_FILE))) {
                raced = true;
                try (MetadataStore other = new MetadataStore(FileIO.real(), log, true)) {
                    other.replace(m -> m.withOwnerEpoch(m.ownerEpoch() + 1));
                }
            }
            return super.lock(lockFile, wait);
        }
    }

    @Test
    void anOpenThatRacesAnotherOpenersFenceWaitsAndRetriesInsteadOfFailing() {
        journalThreeAndStop(TP0);
        FakeSinkTaskContext ctx = new FakeSinkTaskContext();
        ClfsSinkTask task = start(ctx, new RacingOpener(LogGenerations.dirOf(dir, TP0, 0)), TP0, TP1);
        assertThat(ctx.paused).as("the raced partition waits").containsExactly(TP0);
        task.put(records(TP1, 0, 2));
        assertThat(task.preCommit(Map.of())).containsOnlyKeys(TP1);

        clock.addAndGet(100); // the next retry
        task.put(List.of());
        assertThat(ctx.paused).isEmpty();
        task.put(records(TP0, 3, 5));
        assertThat(task.preCommit(Map.of())).containsEntry(TP0, new OffsetAndMetadata(5));
        assertThat(journaled(TP0)).isEqualTo(range(0, 5));
    }

    /** The container files' bytes, one after the other in name order. */
    private static byte[] containerBytes(Path log) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Stream<Path> files = Files.list(log)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().startsWith("clfs.")).sorted().toList()) {
                out.write(Files.readAllBytes(f));
            }
        }
        return out.toByteArray();
    }
}

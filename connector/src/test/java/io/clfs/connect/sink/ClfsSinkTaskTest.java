package io.clfs.connect.sink;

import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogRecord;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import io.clfs.log.ReadContext;
import io.clfs.log.RecordFilter;
import io.clfs.log.io.FileIO;
import io.clfs.log.io.NoSpaceDisk;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The task against a recording context, with a clock the test moves: no cluster, no sleeping. */
class ClfsSinkTaskTest {
    private static final String TOPIC = "orders";
    private static final TopicPartition TP0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition TP1 = new TopicPartition(TOPIC, 1);

    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final FailingDisk disk = new FailingDisk();
    private final List<ClfsSinkTask> started = new ArrayList<>();

    @AfterEach
    void stopTasks() {
        started.forEach(ClfsSinkTask::stop);
    }

    private Map<String, String> props(String... kv) {
        Map<String, String> p = new HashMap<>();
        p.put(ClfsSinkConfig.LOG_DIR, dir.toString());
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        return p;
    }

    private ClfsSinkTask start(FakeSinkTaskContext ctx, Map<String, String> props, TopicPartition... tps) {
        ClfsSinkTask task = new ClfsSinkTask(clock::get, disk);
        task.initialize(ctx);
        task.start(props);
        started.add(task);
        task.open(List.of(tps));
        return task;
    }

    private void stop(ClfsSinkTask task) {
        started.remove(task);
        task.stop();
    }

    private static SinkRecord record(TopicPartition tp, long offset, byte[] value) {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addBytes("h", ("h" + offset).getBytes(StandardCharsets.UTF_8));
        headers.addBytes("h", null);
        return new SinkRecord(tp.topic(), tp.partition(), Schema.OPTIONAL_BYTES_SCHEMA,
                ("k" + offset).getBytes(StandardCharsets.UTF_8), Schema.OPTIONAL_BYTES_SCHEMA, value, offset,
                offset * 10, TimestampType.CREATE_TIME, headers);
    }

    private static SinkRecord record(TopicPartition tp, long offset) {
        return record(tp, offset, ("v" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static List<SinkRecord> records(TopicPartition tp, long from, long to) {
        List<SinkRecord> out = new ArrayList<>();
        for (long o = from; o < to; o++) {
            out.add(record(tp, o));
        }
        return out;
    }

    private List<Envelope> journal(TopicPartition tp) {
        return journal(tp, 0);
    }

    private List<Envelope> journal(TopicPartition tp, int generation) {
        List<Envelope> out = new ArrayList<>();
        try (ClfsLog log = ClfsLog.openReadOnly(LogGenerations.dirOf(dir, tp, generation));
             ReadContext ctx = log.stream().readFromTail(RecordFilter.DATA)) {
            for (LogRecord r = ctx.next(); r != null; r = ctx.next()) {
                out.add(EnvelopeCodec.decode(r.data()));
            }
        }
        return out;
    }

    private static List<Long> offsets(List<Envelope> envelopes) {
        return envelopes.stream().map(Envelope::offset).toList();
    }

    @Test
    void journalsExactBytesAndCommitsOnlyWhatIsDurable() {
        FakeSinkTaskContext ctx = new FakeSinkTaskContext();
        ClfsSinkTask task = start(ctx, props(), TP0, TP1);
        assertThat(ctx.offsets).isEmpty(); // new logs: Kafka's committed offset decides
        task.put(records(TP0, 0, 5));
        task.put(records(TP1, 0, 3));
        Map<TopicPartition, OffsetAndMetadata> committed = task.preCommit(Map.of());
        assertThat(committed).containsEntry(TP0, new OffsetAndMetadata(5)).containsEntry(TP1, new OffsetAndMetadata(3));

        List<Envelope> log0 = journal(TP0);
        assertThat(offsets(log0)).containsExactly(0L, 1L, 2L, 3L, 4L);
        Envelope e = log0.get(2);
        assertThat(new String(e.key().bytes(), StandardCharsets.UTF_8)).isEqualTo("k2");
        assertThat(new String(e.value().bytes(), StandardCharsets.UTF_8)).isEqualTo("v2");
        assertThat(e.timestamp()).isEqualTo(20);
        assertThat(e.headers()).hasSize(2);
        assertThat(e.headers().get(1).value().isNull()).isTrue();
        assertThat(ctx.metric("records-journaled-total")).isEqualTo(8.0);
        assertThat(ctx.timeout).isPositive(); // asks to be called again for restart areas even when idle
    }

    /** With one flush thread the six fsyncs run one after another and this fails ("fsyncs were not concurrent"). */
    @Test
    void dirtyPartitionsAreFlushedConcurrentlyNotOneFsyncAfterAnother() {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            tps.add(new TopicPartition(TOPIC, p));
        }
        ClfsSinkTask task = start(new FakeSinkTaskContext(), props(), tps.toArray(TopicPartition[]::new));
        tps.forEach(tp -> task.put(records(tp, 0, 10)));
        disk.together = new java.util.concurrent.CountDownLatch(6); // each fsync waits for all six
        Map<TopicPartition, OffsetAndMetadata> committed = task.preCommit(Map.of());
        disk.together = null;
        tps.forEach(tp -> assertThat(committed).containsEntry(tp, new OffsetAndMetadata(10)));
    }

    /** Opened one after another, the first new log's fsync waits for five more that never come, and open fails. */
    @Test
    void theNewLogsOfAnAssignmentAreCreatedConcurrently() {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            tps.add(new TopicPartition(TOPIC, p));
        }
        disk.together = new java.util.concurrent.CountDownLatch(6);
        ClfsSinkTask task = start(new FakeSinkTaskContext(), props(), tps.toArray(TopicPartition[]::new));
        disk.together = null;
        tps.forEach(tp -> task.put(records(tp, 0, 3)));
        Map<TopicPartition, OffsetAndMetadata> committed = task.preCommit(Map.of());
        tps.forEach(tp -> assertThat(committed).containsEntry(tp, new OffsetAndMetadata(3)));
    }

    /** The logs opened beside one that fails are the task's, and closed by its stop: none stays held. */
    @Test
    void aLogThatCannotBeOpenedFailsTheTaskAndTheOthersOpenedWithItAreClosedOnStop() {
        TopicPartition tp2 = new TopicPartition(TOPIC, 2);
        ClfsSinkTask first = start(new FakeSinkTaskContext(), props(), TP0);
        first.put(records(TP0, 0, 3));
        stop(first);
        assertThat(PartitionJournal.dirOf(dir, TP0).toFile().renameTo(PartitionJournal.dirOf(dir, TP1).toFile()))
                .isTrue();
        ClfsSinkTask task = new ClfsSinkTask(clock::get, disk);
        task.initialize(new FakeSinkTaskContext());
        task.start(props());
        started.add(task);
        assertThatThrownBy(() -> task.open(List.of(TP0, TP1, tp2))).hasMessageContaining("holds records of orders-0");
        stop(task);
        ClfsSinkTask next = start(new FakeSinkTaskContext(), props(), TP0, tp2); // refused if a log were still held
        next.put(records(tp2, 0, 2));
        assertThat(next.preCommit(Map.of())).containsEntry(tp2, new OffsetAndMetadata(2));
    }

    @Test
    void reopenSeeksToTheLogAndSkipsRedeliveredRecords() {
        FakeSinkTaskContext first = new FakeSinkTaskContext();
        ClfsSinkTask task = start(first, props(), TP0);
        task.put(records(TP0, 0, 10));
        stop(task); // close: restart area, durable

        FakeSinkTaskContext second = new FakeSinkTaskContext();
        ClfsSinkTask again = start(second, props(), TP0);
        assertThat(second.offsets).containsEntry(TP0, 10L);
        again.put(records(TP0, 10, 12)); // Kafka follows the seek
        again.put(records(TP0, 5, 15)); // Connect redelivers from an older committed offset (a failed commit rewinds)
        assertThat(again.preCommit(Map.of())).containsEntry(TP0, new OffsetAndMetadata(15));
        assertThat(second.metric("records-skipped-total")).isEqualTo(7.0);
        stop(again);
        assertThat(offsets(journal(TP0))).containsExactlyElementsOf(java.util.stream.LongStream.range(0, 15).boxed().toList());
    }

    private SinkRestartArea newestRestartArea(Path logDir) {
        try (ClfsLog log = ClfsLog.openReadOnly(logDir)) {
            return SinkRestartArea.decode(log.stream().readRestartArea().data());
        }
    }

    /** A task that journaled offsets 0-9 of TP0 and stopped, then a new one on {@code ctx}: the log was reopened. */
    private ClfsSinkTask reopenedAfterTen(FakeSinkTaskContext ctx) {
        ClfsSinkTask task = start(new FakeSinkTaskContext(), props(), TP0);
        task.put(records(TP0, 0, 10));
        stop(task);
        return start(ctx, props(), TP0);
    }

    /** Without generations the five new records would be skipped as redeliveries of offsets 0-4. */
    @Test
    void aRecordBelowTheNextOffsetRightAfterOpenFinishesTheLogAndStartsANewGeneration() {
        FakeSinkTaskContext ctx = new FakeSinkTaskContext();
        ClfsSinkTask again = reopenedAfterTen(ctx);
        assertThat(ctx.offsets).containsEntry(TP0, 10L);
        again.put(records(TP0, 0, 5)); // Kafka reset the position: the topic was recreated
        assertThat(again.preCommit(Map.of())).containsEntry(TP0, new OffsetAndMetadata(5));
        assertThat(ctx.metric("records-skipped-total")).isZero();
        stop(again);

        assertThat(offsets(journal(TP0, 0))).containsExactlyElementsOf(LongStream.range(0, 10).boxed().toList());
        assertThat(offsets(journal(TP0, 1))).containsExactlyElementsOf(LongStream.range(0, 5).boxed().toList());
        Path old = PartitionJournal.dirOf(dir, TP0);
        assertThat(newestRestartArea(old).finished()).isTrue();
        try (ClfsLog log = ClfsLog.openReadOnly(old)) { // every record released to the source
            assertThat(log.stream().baseLsn()).isEqualTo(log.stream().restartLsn());
        }
        assertThat(newestRestartArea(LogGenerations.dirOf(dir, TP0, 1)).finished()).isFalse();

        FakeSinkTaskContext third = new FakeSinkTaskContext();
        start(third, props(), TP0);
        assertThat(third.offsets).containsEntry(TP0, 5L); // the live generation is the new one
    }

    /** No room for the new generation: the partition waits paused, and its records come again once there is. */
    @Test
    void aNewGenerationThatFindsTheDiskFullWaitsAndResumesByItself() {
        reopenedAfterTen(new FakeSinkTaskContext()).stop();
        started.clear();
        NoSpaceDisk full = new NoSpaceDisk(FileIO.real());
        FakeSinkTaskContext ctx = new FakeSinkTaskContext();
        ClfsSinkTask task = new ClfsSinkTask(clock::get, full);
        task.initialize(ctx);
        task.start(props(ClfsSinkConfig.LOG_FULL_RETRY_MS, "100"));
        started.add(task);
        task.open(List.of(TP0));
        full.failCreationCall(1, NoSpaceDisk.ENOSPC);

        task.put(records(TP0, 0, 5)); // a reset: the new generation cannot be created
        assertThat(ctx.paused).containsExactly(TP0);
        assertThat(ctx.offsets).containsEntry(TP0, 0L); // the records come again
        assertThat(task.preCommit(Map.of())).doesNotContainKey(TP0);
        assertThat(ctx.metric("disk-full-pauses-total")).isEqualTo(1.0);

        full.free();
        clock.addAndGet(100);
        task.preCommit(Map.of()); // the retry creates the new generation and resumes the partition
        assertThat(ctx.paused).isEmpty();
        task.put(records(TP0, 0, 5));
        assertThat(task.preCommit(Map.of())).containsEntry(TP0, new OffsetAndMetadata(5));
        stop(task);
        assertThat(offsets(journal(TP0, 0))).containsExactlyElementsOf(LongStream.range(0, 10).boxed().toList());
        assertThat(offsets(journal(TP0, 1))).containsExactlyElementsOf(LongStream.range(0, 5).boxed().toList());
    }

    /** The sink stopped after finishing a generation and before writing into the next one. */
    @Test
    void aFinishedGenerationFoundAtOpenIsLeftForTheNextOne() {
        ClfsSinkTask task = start(new FakeSinkTaskContext(), props(), TP0);
        task.put(records(TP0, 0, 10));
        journalOf(task, TP0).finish(clock.get());
        started.remove(task); // the log is released: a crash right after finishing it

        FakeSinkTaskContext ctx = new FakeSinkTaskContext();
        ClfsSinkTask again = start(ctx, props(), TP0);
        assertThat(ctx.offsets).isEmpty(); // an empty generation: Kafka's committed offset decides
        again.put(records(TP0, 0, 3));
        stop(again);
        assertThat(offsets(journal(TP0, 0))).hasSize(10);
        assertThat(offsets(journal(TP0, 1))).containsExactly(0L, 1L, 2L);
    }

    @Test
    void aGapRightAfterOpenIsJournaledAndReported() {
        FakeSinkTaskContext ctx = new FakeSinkTaskContext();
        ClfsSinkTask again = reopenedAfterTen(ctx);
        again.put(records(TP0, 15, 20)); // offsets 10-14 were deleted before the sink saw them
        assertThat(ctx.metric("gaps-total")).isEqualTo(1.0);
        assertThat(ctx.metric("records-missing-total")).isEqualTo(5.0);
        assertThat(ctx.metric("records-skipped-total")).isZero();
        SinkRestartArea atGap = newestRestartArea(PartitionJournal.dirOf(dir, TP0)); // journaled at once
        assertThat(atGap.lastOffset()).isEqualTo(9);
        assertThat(atGap.gaps()).isEqualTo(1);
        assertThat(atGap.recordsMissing()).isEqualTo(5);
        stop(again);

        assertThat(offsets(journal(TP0))).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 15L, 16L, 17L, 18L, 19L);
        SinkRestartArea last = newestRestartArea(PartitionJournal.dirOf(dir, TP0));
        assertThat(last.gaps()).isEqualTo(1); // the counts carry over to later restart areas
        assertThat(last.recordsMissing()).isEqualTo(5);
    }

    @Test
    void recoversFromDataAfterTheLastRestartArea() {
        FakeSinkTaskContext ctx = new FakeSinkTaskContext();
        ClfsSinkTask task = start(ctx, props(ClfsSinkConfig.RESTART_INTERVAL_RECORDS, "4"), TP0);
        task.put(records(TP0, 0, 10)); // restart areas after 4 and 8 records
        task.preCommit(Map.of());
        // a crash: the log is released without the close-time restart area
        PartitionJournal j = journalOf(task, TP0);
        j.log().close();
        started.remove(task);

        FakeSinkTaskContext after = new FakeSinkTaskContext();
        start(after, props(), TP0);
        assertThat(after.offsets).containsEntry(TP0, 10L);
    }

    @SuppressWarnings("unchecked")
    private static PartitionJournal journalOf(ClfsSinkTask task, TopicPartition tp) {
        try {
            java.lang.reflect.Field f = ClfsSinkTask.class.getDeclaredField("journals");
            f.setAccessible(true);
            return ((Map<TopicPartition, PartitionJournal>) f.get(task)).get(tp);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void nullValuesAreWrittenIgnoredOrFailed() {
        SinkRecord tombstone = record(TP0, 1, null);
        ClfsSinkTask write = start(new FakeSinkTaskContext(), props(), TP0);
        write.put(List.of(record(TP0, 0), tombstone, record(TP0, 2)));
        stop(write);
        assertThat(journal(TP0).get(1).value().isNull()).isTrue();

        ClfsSinkTask ignore = start(new FakeSinkTaskContext(), props(ClfsSinkConfig.NULL_VALUES, "ignore"), TP1);
        ignore.put(List.of(record(TP1, 0), record(TP1, 1, null), record(TP1, 2)));
        assertThat(ignore.preCommit(Map.of())).containsEntry(TP1, new OffsetAndMetadata(3));
        stop(ignore);
        assertThat(offsets(journal(TP1))).containsExactly(0L, 2L);

        TopicPartition tp2 = new TopicPartition(TOPIC, 2);
        ClfsSinkTask fail = start(new FakeSinkTaskContext(), props(ClfsSinkConfig.NULL_VALUES, "fail"), tp2);
        assertThatThrownBy(() -> fail.put(List.of(record(tp2, 7, null))))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("topic 'orders' partition 2 offset 7").hasMessageContaining("behavior.on.null.values=fail");
    }

    @Test
    void schemaAwareDataIsSerializedWithTheFormatConverter() {
        Schema schema = SchemaBuilder.struct().name("Order").field("id", Schema.INT64_SCHEMA).build();
        SinkRecord r = new SinkRecord(TOPIC, 0, Schema.STRING_SCHEMA, "key", schema, new Struct(schema).put("id", 42L), 0);
        ClfsSinkTask task = start(new FakeSinkTaskContext(), props(), TP0);
        task.put(List.of(r));
        stop(task);
        Envelope e = journal(TP0).get(0);
        assertThat(e.key().encoding()).isEqualTo(io.clfs.connect.envelope.Encoding.CONVERTED);
        assertThat(new String(e.value().bytes(), StandardCharsets.UTF_8)).contains("\"Order\"").contains("\"id\":42");
    }

    @Test
    void aRecordTooLargeForAContainerIsDeadLetteredOrFailsNamingIt() {
        byte[] big = new byte[600 << 10];
        FakeSinkTaskContext ctx = new FakeSinkTaskContext();
        ctx.withReporter = true;
        ClfsSinkTask task = start(ctx, props(ClfsSinkConfig.CONTAINER_SIZE, "524288"), TP0);
        task.put(List.of(record(TP0, 0), record(TP0, 1, big), record(TP0, 2)));
        assertThat(ctx.deadLetters).extracting(SinkRecord::kafkaOffset).containsExactly(1L);
        assertThat(task.preCommit(Map.of())).containsEntry(TP0, new OffsetAndMetadata(3));

        ClfsSinkTask strict = start(new FakeSinkTaskContext(), props(ClfsSinkConfig.CONTAINER_SIZE, "524288"), TP1);
        assertThatThrownBy(() -> strict.put(List.of(record(TP1, 4, big))))
                .hasMessageContaining("topic 'orders' partition 1 offset 4").hasMessageContaining("exceeds");
    }

    private static final String[] SMALL_LOG = {ClfsSinkConfig.CONTAINER_SIZE, "524288", ClfsSinkConfig.MAX_CONTAINERS,
            "2", ClfsSinkConfig.RESTART_INTERVAL_RECORDS, "50", ClfsSinkConfig.RETENTION_BYTES, "100000"};

    private static String[] with(String[] base, String... more) {
        String[] out = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }

    private static List<SinkRecord> kilobyteRecords(TopicPartition tp, long from, long to) {
        List<SinkRecord> out = new ArrayList<>();
        for (long o = from; o < to; o++) {
            out.add(record(tp, o, new byte[1024]));
        }
        return out;
    }

    @Test
    void aFullLogPausesThePartitionAndResumesWhenTheArchiverFreesSpace() {
        FakeSinkTaskContext ctx = new FakeSinkTaskContext();
        ClfsSinkTask task = start(ctx, props(with(SMALL_LOG, ClfsSinkConfig.LOG_FULL_BEHAVIOR, "block")), TP0);
        task.put(kilobyteRecords(TP0, 0, 2000)); // ~2 MB into a 1 MB log whose archive tail never moves
        assertThat(ctx.paused).containsExactly(TP0);
        long stuck = ctx.offsets.get(TP0);
        assertThat(stuck).isBetween(500L, 1100L);
        assertThat(task.preCommit(Map.of())).containsEntry(TP0, new OffsetAndMetadata(stuck));
        assertThat(ctx.metric("log-full-pauses-total")).isEqualTo(1.0);
        assertThat(ctx.metric("partitions-paused")).isEqualTo(1.0);
        // Moved away and back (a rebalance): the new journal is not blocked, so Connect must not keep it paused.
        task.close(List.of(TP0));
        assertThat(ctx.paused).isEmpty();
        task.open(List.of(TP0));
        assertThat(ctx.offsets).containsEntry(TP0, stuck);
        task.put(kilobyteRecords(TP0, stuck, stuck + 3000));
        assertThat(ctx.paused).containsExactly(TP0);
        stuck = ctx.offsets.get(TP0);

        // An archiver (the source connector, in its own process) takes what was released.
        try (ClfsLog reader = ClfsLog.openReadOnly(PartitionJournal.dirOf(dir, TP0))) {
            LogStream s = reader.stream();
            assertThat(Lsn.less(s.archiveTail(), s.baseLsn())).isTrue();
            s.setArchiveTail(s.baseLsn());
        }
        clock.addAndGet(1_000);
        task.put(List.of()); // the retry is due: resume
        assertThat(ctx.paused).isEmpty();
        task.put(kilobyteRecords(TP0, stuck, stuck + 100)); // the consumer redelivers from the rewound offset
        assertThat(ctx.paused).isEmpty();
        stop(task);
        List<Long> journaled = offsets(journal(TP0));
        assertThat(journaled.get(journaled.size() - 1)).isEqualTo(stuck + 99);
    }

    @Test
    void aFullLogFailsTheTaskWithFail() {
        ClfsSinkTask task = start(new FakeSinkTaskContext(),
                props(with(SMALL_LOG, ClfsSinkConfig.LOG_FULL_BEHAVIOR, "fail")), TP0);
        assertThatThrownBy(() -> task.put(kilobyteRecords(TP0, 0, 2000)))
                .isInstanceOf(ConnectException.class).hasMessageContaining("is full at offset")
                .hasMessageContaining("clfs.log.full.behavior=fail");
        assertThat(task.preCommit(Map.of())).isEmpty(); // nothing more is committed
        assertThatThrownBy(() -> task.put(List.of())).hasMessageContaining("earlier failure");
    }

    @Test
    void restartAreasOnIntervalMoveTheBaseByAgeEvenWhenIdle() {
        FakeSinkTaskContext ctx = new FakeSinkTaskContext();
        ClfsSinkTask task = start(ctx, props(ClfsSinkConfig.RESTART_INTERVAL_MS, "1000",
                ClfsSinkConfig.RETENTION_MS, "5000", ClfsSinkConfig.ARCHIVE_ENABLED, "false"), TP0);
        List<SinkRecord> batch = new ArrayList<>();
        for (long o = 0; o < 10; o++) {
            batch.add(new SinkRecord(TOPIC, 0, null, null, null, new byte[]{1}, o, clock.get() - 1_000, TimestampType.CREATE_TIME));
        }
        task.put(batch);
        clock.addAndGet(1_000);
        task.put(List.of()); // interval: restart area
        assertThat(ctx.metric("restart-areas-total")).isEqualTo(1.0);
        double base = ctx.metric("base-lsn");
        clock.addAndGet(10_000); // idle, records now older than the retention
        task.put(List.of());
        assertThat(ctx.metric("base-lsn")).isGreaterThan(base);
        assertThat(ctx.timeout).as("idle: wake up at the next interval, not at once").isEqualTo(1_000);
    }

    @Test
    void aDiskErrorFailsTheTaskAndNothingUndurableIsAcknowledged() {
        FakeSinkTaskContext ctx = new FakeSinkTaskContext();
        ClfsSinkTask task = start(ctx, props(), TP0, TP1);
        task.put(records(TP0, 0, 10));
        assertThat(task.preCommit(Map.of())).containsEntry(TP0, new OffsetAndMetadata(10));
        task.put(records(TP0, 10, 20));
        task.put(records(TP1, 0, 5));
        disk.fail = true;
        assertThatThrownBy(() -> task.preCommit(Map.of())).isInstanceOf(ConnectException.class)
                .hasMessageContaining("cannot make the log of orders-").hasMessageContaining("Input/output error");
        assertThat(task.preCommit(Map.of())).isEmpty(); // never acknowledges what is not durable
        assertThatThrownBy(() -> task.put(records(TP0, 20, 21))).hasMessageContaining("earlier failure");
        stop(task);

        disk.fail = false;
        FakeSinkTaskContext after = new FakeSinkTaskContext();
        start(after, props(), TP0);
        assertThat(after.offsets.get(TP0)).isBetween(10L, 20L); // at least what was acknowledged
    }

    @Test
    void theLogOfAnotherPartitionIsRefused() {
        Path wrong = PartitionJournal.dirOf(dir, TP1);
        ClfsSinkTask task = start(new FakeSinkTaskContext(), props(), TP0);
        task.put(records(TP0, 0, 3));
        stop(task);
        assertThat(PartitionJournal.dirOf(dir, TP0).toFile().renameTo(wrong.toFile())).isTrue();
        ClfsSinkTask other = new ClfsSinkTask(clock::get, disk);
        other.initialize(new FakeSinkTaskContext());
        other.start(props());
        started.add(other);
        assertThatThrownBy(() -> other.open(List.of(TP1))).hasMessageContaining("holds records of orders-0");
    }
}

package io.clfs.connect.source;

import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.connect.DirectoryMarker;
import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.EnvelopeHeader;
import io.clfs.connect.envelope.Payload;
import io.clfs.connect.envelope.TimestampKind;
import io.clfs.log.Lsn;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The task against logs written as the sink writes them and a recording Connect: no cluster. */
class ClfsSourceTaskTest {
    private static final String TOPIC = "orders";

    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final AtomicLong nanos = new AtomicLong();
    private final List<ClfsSourceTask> started = new ArrayList<>();
    private final List<TestLog> logs = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(ClfsSourceTask::stop);
        logs.forEach(TestLog::close);
    }

    private TestLog log(int partition) {
        TestLog l = new TestLog(dir, TOPIC, partition, true);
        logs.add(l);
        return l;
    }

    /** A log of partition {@code partition} with {@code n} records, all released to the source. */
    private TestLog released(int partition, int n) {
        TestLog l = log(partition);
        l.append(n, 10);
        l.restartArea(true);
        return l;
    }

    private Map<String, String> props(String logs, String... kv) {
        Map<String, String> p = new HashMap<>();
        p.put(ClfsSourceConfig.LOG_DIR, dir.toString());
        p.put(ClfsSourceConfig.TASK_LOGS, logs);
        p.put(ClfsSourceConfig.POLL_INTERVAL_MS, "1");
        p.put(ClfsSourceConfig.ARCHIVE_INTERVAL_MS, "0");
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        return p;
    }

    private ClfsSourceTask start(FakeSourceTaskContext ctx, Map<String, String> props) {
        return start(ctx, props, Runnable::run);
    }

    private ClfsSourceTask start(FakeSourceTaskContext ctx, Map<String, String> props, Executor offsetReads) {
        ClfsSourceTask task = new ClfsSourceTask(clock::get, nanos::get, offsetReads);
        task.initialize(ctx);
        task.start(props);
        started.add(task);
        return task;
    }

    /** Polls until a poll finds nothing, moving the clock past the poll interval each time. */
    private List<SourceRecord> drain(ClfsSourceTask task) throws InterruptedException {
        List<SourceRecord> out = new ArrayList<>();
        for (;;) {
            clock.addAndGet(10);
            List<SourceRecord> batch = task.poll();
            if (batch == null) {
                return out;
            }
            out.addAll(batch);
        }
    }

    /** What Connect does once Kafka took the records and their offsets were flushed. */
    private static void acknowledgeAndCommit(ClfsSourceTask task, FakeSourceTaskContext ctx, List<SourceRecord> records)
            throws InterruptedException {
        for (SourceRecord r : records) {
            task.commitRecord(r, metadata(r));
            ctx.commit(r);
        }
        task.commit();
    }

    private static RecordMetadata metadata(SourceRecord r) {
        return new RecordMetadata(new TopicPartition(r.topic(), r.kafkaPartition() == null ? 0 : r.kafkaPartition()),
                0, 0, 0, 0, 0);
    }

    private static String lsnOf(SourceRecord r) {
        return (String) r.sourceOffset().get("lsn");
    }

    private static String header(SourceRecord r, String key) {
        Header h = r.headers().lastWithName(key);
        return h == null ? null : new String((byte[]) h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void archiveModeReplaysTheReleasedRecordsInLsnOrderWithTheirBytesAndHeaders() throws Exception {
        TestLog l = log(2);
        List<Long> released = l.append(10, 50);
        long base = l.restartArea(true);
        l.append(5, 50); // above the base: the sink still needs them

        FakeSourceTaskContext ctx = new FakeSourceTaskContext();
        List<SourceRecord> got = drain(start(ctx, props("orders-2")));

        assertThat(got).hasSize(10);
        for (int i = 0; i < 10; i++) {
            SourceRecord r = got.get(i);
            assertThat(lsnOf(r)).isEqualTo(Lsn.toString(released.get(i)));
            assertThat(r.sourcePartition()).isEqualTo(Map.of("log", "orders-2", "logId", l.logId()));
            assertThat(r.sourceOffset().get("logId")).isEqualTo(l.logId());
            assertThat(r.topic()).isEqualTo("orders.replay");
            assertThat(r.kafkaPartition()).isEqualTo(2);
            assertThat(r.timestamp()).isEqualTo(1_000L + i);
            assertThat((byte[]) r.key()).isEqualTo(("k" + i).getBytes(StandardCharsets.UTF_8));
            assertThat((byte[]) r.value()).isEqualTo(TestLog.envelope(TOPIC, 2, i, 50).value().bytes());
            List<String> names = new ArrayList<>();
            r.headers().forEach(h -> names.add(h.key()));
            assertThat(names).containsExactly("h", "n", "clfs.lsn", "clfs.origin.topic", "clfs.origin.partition",
                    "clfs.origin.offset");
            assertThat(header(r, "h")).isEqualTo("v" + i);
            assertThat(r.headers().lastWithName("n").value()).isNull();
            assertThat(header(r, "clfs.lsn")).isEqualTo(Lsn.toString(released.get(i)));
            assertThat(header(r, "clfs.origin.topic")).isEqualTo(TOPIC);
            assertThat(header(r, "clfs.origin.partition")).isEqualTo("2");
            assertThat(header(r, "clfs.origin.offset")).isEqualTo(Integer.toString(i));
        }
        assertThat(l.base()).isEqualTo(base);
    }

    @Test
    void followsTheBaseAsTheSinkReleasesMore() throws Exception {
        TestLog l = log(0);
        l.append(3, 10);
        l.restartArea(true);
        FakeSourceTaskContext ctx = new FakeSourceTaskContext();
        ClfsSourceTask task = start(ctx, props("orders-0"));
        assertThat(drain(task)).hasSize(3);

        l.append(4, 10);
        l.restartArea(false); // a restart area that releases nothing
        assertThat(drain(task)).isEmpty();
        l.append(2, 10);
        l.restartArea(true);
        List<SourceRecord> more = drain(task);
        assertThat(more).extracting(r -> header(r, "clfs.origin.offset")).containsExactly("3", "4", "5", "6", "7", "8");
    }

    @Test
    void theArchiveTailMovesOnlyPastRecordsAcknowledgedAndCommitted() throws Exception {
        TestLog l = log(0);
        List<Long> lsns = l.append(10, 10);
        long base = l.restartArea(true);
        long tailBefore = l.archiveTail();
        FakeSourceTaskContext ctx = new FakeSourceTaskContext();
        ClfsSourceTask task = start(ctx, props("orders-0"));
        List<SourceRecord> got = drain(task);
        assertThat(got).hasSize(10);

        // Acknowledged by Kafka but not committed: the tail stays.
        for (SourceRecord r : got.subList(0, 6)) {
            task.commitRecord(r, metadata(r));
        }
        task.commit();
        drain(task);
        assertThat(l.archiveTail()).isEqualTo(tailBefore);

        // The store says record 8 is committed, but only records 0..5 were acknowledged: up to 5.
        ctx.commit(got.get(8));
        task.commit();
        drain(task);
        assertThat(l.archiveTail()).as("first record not acknowledged").isEqualTo(lsns.get(6));

        // Everything acknowledged and committed: the tail reaches the base (the restart area).
        acknowledgeAndCommit(task, ctx, got.subList(6, 10));
        drain(task);
        assertThat(l.archiveTail()).isEqualTo(base);
    }

    @Test
    void theCommittedOffsetsAreReadOffThePollAndTheTailMovesOnceTheReadIsDone() throws Exception {
        TestLog l = log(0);
        l.append(4, 10);
        long base = l.restartArea(true);
        long tailBefore = l.archiveTail();
        FakeSourceTaskContext ctx = new FakeSourceTaskContext();
        Deque<Runnable> reads = new ArrayDeque<>();
        ClfsSourceTask task = start(ctx, props("orders-0"), reads::add);
        List<SourceRecord> got = drain(task);
        reads.forEach(Runnable::run); // reads before anything was committed
        reads.clear();
        drain(task);
        acknowledgeAndCommit(task, ctx, got);

        drain(task);
        assertThat(reads).as("one read under way, not one per poll").hasSize(1);
        assertThat(l.archiveTail()).as("the read is not done").isEqualTo(tailBefore);

        reads.remove().run();
        drain(task);
        assertThat(l.archiveTail()).isEqualTo(base);
        assertThat(reads).as("no commit since the read").isEmpty();
    }

    @Test
    void aNewTaskResumesAfterTheLastCommittedLsn() throws Exception {
        TestLog l = log(1);
        l.append(8, 10);
        l.restartArea(true);
        FakeSourceTaskContext ctx = new FakeSourceTaskContext();
        ClfsSourceTask first = start(ctx, props("orders-1"));
        List<SourceRecord> got = drain(first);
        acknowledgeAndCommit(first, ctx, got.subList(0, 5));
        first.stop();

        ClfsSourceTask second = start(ctx, props("orders-1"));
        assertThat(drain(second)).extracting(r -> header(r, "clfs.origin.offset")).containsExactly("5", "6", "7");
    }

    /** Progress committed by a connector of an earlier version, under {log: name} alone, still counts. */
    @Test
    void aNewTaskResumesAfterAnOffsetCommittedUnderTheLegacyKey() throws Exception {
        TestLog l = released(1, 8);
        FakeSourceTaskContext ctx = new FakeSourceTaskContext();
        ctx.store(Map.of("log", "orders-1"), new HashMap<>(Map.of("lsn", Lsn.toString(l.lsns.get(4)))));
        ClfsSourceTask task = start(ctx, props("orders-1"));
        List<SourceRecord> got = drain(task);
        assertThat(got).extracting(r -> header(r, "clfs.origin.offset")).containsExactly("5", "6", "7");
        assertThat(got.get(0).sourcePartition().get("logId")).isEqualTo(l.logId()); // from now on keyed by id
    }

    /**
     * Connect keys an offset by the JSON text of its partition, entries in the map's order: a task
     * that takes a log over on another worker finds the progress a task on this one committed.
     * Earlier versions wrote the entries in an order that differed per JVM: either order is found.
     */
    @Test
    void aNewTaskFindsTheCommittedOffsetWhicheverOrderThePartitionsEntriesCameIn() throws Exception {
        TestLog one = released(1, 8);
        TestLog two = released(2, 8);
        FakeSourceTaskContext ctx = new FakeSourceTaskContext();
        ctx.store(inOrder("log", "orders-1", "logId", one.logId()), offsetAt(one, 4));
        ctx.store(inOrder("logId", two.logId(), "log", "orders-2"), offsetAt(two, 5));
        List<SourceRecord> got = drain(start(ctx, props("orders-1,orders-2")));
        assertThat(got).filteredOn(r -> "orders-1".equals(r.sourcePartition().get("log")))
                .extracting(r -> header(r, "clfs.origin.offset")).containsExactly("5", "6", "7");
        assertThat(got).filteredOn(r -> "orders-2".equals(r.sourcePartition().get("log")))
                .extracting(r -> header(r, "clfs.origin.offset")).containsExactly("6", "7");
        assertThat(got).allSatisfy(r -> assertThat(r.sourcePartition().keySet()).containsExactly("log", "logId"));
    }

    /** Progress under both orders: the newest (highest LSN) counts. */
    @Test
    void aNewTaskResumesAfterTheNewestOffsetOfEitherOrder() throws Exception {
        TestLog l = released(1, 8);
        FakeSourceTaskContext ctx = new FakeSourceTaskContext();
        ctx.store(inOrder("logId", l.logId(), "log", "orders-1"), offsetAt(l, 5));
        ctx.store(inOrder("log", "orders-1", "logId", l.logId()), offsetAt(l, 2));
        assertThat(drain(start(ctx, props("orders-1")))).extracting(r -> header(r, "clfs.origin.offset"))
                .containsExactly("6", "7");
    }

    private static Map<String, String> inOrder(String k1, String v1, String k2, String v2) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private static Map<String, Object> offsetAt(TestLog l, int record) {
        return new HashMap<>(Map.of("lsn", Lsn.toString(l.lsns.get(record)), "logId", l.logId()));
    }

    /** Another log had this name (created again, or on another host): its LSN means nothing here. */
    @Test
    void anOffsetCommittedForAnotherLogOfTheSameNameIsRefused() throws Exception {
        TestLog l = released(1, 8);
        String otherId = "00000000-0000-0000-0000-000000000001";
        FakeSourceTaskContext ctx = new FakeSourceTaskContext();
        ctx.store(Map.of("log", "orders-1"),
                new HashMap<>(Map.of("lsn", Lsn.toString(l.lsns.get(4)), "logId", otherId)));
        assertThatThrownBy(() -> start(ctx, props("orders-1"))).isInstanceOf(ConnectException.class)
                .hasMessageContaining("log orders-1 (id " + l.logId() + ")")
                .hasMessageContaining("belongs to log " + otherId).hasMessageContaining("Reset");
    }

    @Test
    void aTaskThatDoesNotSeeTheConnectorsMarkerIsRefused() {
        log(1);
        DirectoryMarker elsewhere = DirectoryMarker.leave(dir.resolveSibling(dir.getFileName() + "-other-host"), "src");
        Map<String, String> p = props("orders-1", "name", "src");
        elsewhere.addTo(p);
        assertThatThrownBy(() -> start(new FakeSourceTaskContext(), p)).isInstanceOf(ConnectException.class)
                .hasMessageContaining("is not the directory of the worker that runs connector src");
    }

    @Test
    void rangeModeReplaysFromToThenNothingAndLeavesTheTailsAlone() throws Exception {
        TestLog l = log(0);
        List<Long> lsns = l.append(10, 10);
        long tail = l.archiveTail();
        long base = l.base();
        FakeSourceTaskContext ctx = new FakeSourceTaskContext();
        ClfsSourceTask task = start(ctx, props("orders-0", ClfsSourceConfig.MODE, "range",
                ClfsSourceConfig.FROM_LSN, Lsn.toString(lsns.get(2)), ClfsSourceConfig.TO_LSN, Lsn.toString(lsns.get(7))));
        List<SourceRecord> got = drain(task);
        assertThat(got).extracting(r -> header(r, "clfs.origin.offset")).containsExactly("2", "3", "4", "5", "6");
        assertThat(got.get(0).sourcePartition()).isEqualTo(Map.of("log", "orders-0", "logId", l.logId(),
                "range", Lsn.toString(lsns.get(2)) + ".." + Lsn.toString(lsns.get(7))));
        acknowledgeAndCommit(task, ctx, got);
        l.append(5, 10);
        assertThat(drain(task)).isEmpty();
        assertThat(task.replayers().get("orders-0").finished()).isTrue();
        assertThat(l.archiveTail()).isEqualTo(tail);
        assertThat(l.base()).isEqualTo(base);
    }

    @Test
    void aRangeFromBelowTheTailsFailsNamingThem() throws Exception {
        TestLog l = log(0);
        List<Long> lsns = l.append(4, 10);
        long ra = l.restartArea(true);
        l.append(2, 10);
        // another archiver archived everything released: the records below the base are gone
        try (io.clfs.log.ClfsLog reader = io.clfs.log.ClfsLog.openReadOnly(l.log.dir())) {
            reader.stream().setArchiveTail(ra);
        }
        ClfsSourceTask task = start(new FakeSourceTaskContext(), props("orders-0", ClfsSourceConfig.MODE, "range",
                ClfsSourceConfig.FROM_LSN, Lsn.toString(lsns.get(1)), ClfsSourceConfig.TO_LSN, Lsn.toString(ra)));
        assertThatThrownBy(() -> task.poll()).isInstanceOf(ConnectException.class)
                .hasMessageContaining(Lsn.toString(lsns.get(1))).hasMessageContaining("below its tails")
                .hasMessageContaining(ClfsSourceConfig.FROM_LSN);
    }

    @Test
    void aRecordTooLargeForKafkaFailsTheTaskNamingItsLsnAndSize() throws Exception {
        TestLog l = log(0);
        l.append(2, 10);
        long big = l.append(1, 5_000).get(0);
        l.append(2, 10);
        l.restartArea(true);
        ClfsSourceTask task = start(new FakeSourceTaskContext(), props("orders-0",
                ClfsSourceConfig.MAX_RECORD_BYTES, "2000"));
        assertThatThrownBy(() -> drain(task)).isInstanceOf(ConnectException.class)
                .hasMessageContaining("LSN " + Lsn.toString(big)).hasMessageMatching("(?s).*takes 5\\d{3} bytes.*")
                .hasMessageContaining("errors.tolerance=all");
    }

    @Test
    void withErrorsToleranceAllATooLargeRecordIsSkippedCountedAndArchived() throws Exception {
        TestLog l = log(0);
        l.append(2, 10);
        long big = l.append(1, 5_000).get(0);
        l.append(2, 10);
        long base = l.restartArea(true);
        FakeSourceTaskContext ctx = new FakeSourceTaskContext();
        ClfsSourceTask task = start(ctx, props("orders-0", ClfsSourceConfig.MAX_RECORD_BYTES, "2000",
                "errors.tolerance", "all"));
        List<SourceRecord> got = drain(task);
        assertThat(got).extracting(ClfsSourceTaskTest::lsnOf).hasSize(4).doesNotContain(Lsn.toString(big));
        assertThat(metric(ctx, "records-skipped-total")).isEqualTo(1.0);
        task.commitRecord(got.get(0), null); // Connect dropped it (a transformation, or a refusal under tolerance all)
        assertThat(metric(ctx, "records-skipped-total")).isEqualTo(2.0);
        acknowledgeAndCommit(task, ctx, got.subList(1, 4));
        ctx.commit(got.get(3));
        drain(task);
        assertThat(l.archiveTail()).isEqualTo(base);
        assertThat(metric(ctx, "records-replayed-total")).isEqualTo(3.0);
    }

    @Test
    void commitRecordFinishesTheRecordPollReturnedNotACopyOfIt() throws Exception {
        TestLog l = log(0);
        l.append(2, 10);
        l.restartArea(true);
        FakeSourceTaskContext ctx = new FakeSourceTaskContext();
        ClfsSourceTask task = start(ctx, props("orders-0"));
        List<SourceRecord> got = drain(task);
        SourceRecord first = got.get(0);
        SourceRecord copy = first.newRecord(first.topic(), first.kafkaPartition(), first.keySchema(), first.key(),
                first.valueSchema(), first.value(), first.timestamp(), first.headers());

        task.commitRecord(copy, metadata(copy)); // Connect hands back what poll returned; a copy is none of the task's
        drain(task); // a poll publishes the counts
        assertThat(metric(ctx, "records-replayed-total")).isEqualTo(0.0);
        task.commitRecord(first, metadata(first));
        drain(task);
        assertThat(metric(ctx, "records-replayed-total")).isEqualTo(1.0);
    }

    @Test
    void connectorDefinedTransactionsEndAtTheSinksRestartAreas() throws Exception {
        TestLog l = log(0);
        l.append(3, 10);
        l.restartArea(false);
        l.append(3, 10);
        l.restartArea(true);
        FakeSourceTaskContext ctx = new FakeSourceTaskContext();
        ctx.connectorBoundaries = true;
        List<SourceRecord> got = drain(start(ctx, props("orders-0")));
        assertThat(got).hasSize(6);
        assertThat(ctx.boundaries).containsExactly(got.get(2), got.get(5));
    }

    @Test
    void theLagGaugesShowWhatIsReleasedButNotArchived() throws Exception {
        TestLog l = log(0);
        l.append(10, 100);
        long base = l.restartArea(true);
        FakeSourceTaskContext ctx = new FakeSourceTaskContext();
        ClfsSourceTask task = start(ctx, props("orders-0"));
        clock.addAndGet(5_000);
        List<SourceRecord> got = drain(task);
        assertThat(metric(ctx, "replay-lag-records")).isEqualTo(10L);
        assertThat((Long) metric(ctx, "replay-lag-bytes")).isPositive();
        acknowledgeAndCommit(task, ctx, got);
        drain(task);
        clock.addAndGet(5_000);
        drain(task);
        assertThat(metric(ctx, "replay-lag-records")).isEqualTo(0L);
        assertThat(metric(ctx, "replay-lag-bytes")).isEqualTo(0L);
        assertThat(metric(ctx, "archive-tail")).isEqualTo(base);
    }

    @Test
    void convertedDataIsRebuiltWithTheFormatConverter() throws Exception {
        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "true"), false);
        Schema schema = SchemaBuilder.struct().name("order").field("id", Schema.INT64_SCHEMA)
                .field("item", Schema.STRING_SCHEMA).build();
        Struct order = new Struct(schema).put("id", 7L).put("item", "tea");
        TestLog l = log(0);
        l.append(new Envelope(TOPIC, 0, 0, 5L, TimestampKind.LOG_APPEND_TIME, Payload.NULL,
                Payload.converted(json.fromConnectData(TOPIC, schema, order)),
                List.of(new EnvelopeHeader("version", Payload.converted(json.fromConnectData(TOPIC,
                        Schema.INT32_SCHEMA, 3))))));
        l.restartArea(true);
        List<SourceRecord> got = drain(start(new FakeSourceTaskContext(), props("orders-0")));
        assertThat(got).hasSize(1);
        assertThat(got.get(0).key()).isNull();
        assertThat(got.get(0).valueSchema().name()).isEqualTo("order");
        assertThat(got.get(0).value()).isEqualTo(order);
        assertThat(got.get(0).timestamp()).isEqualTo(5L);
        assertThat(got.get(0).headers().lastWithName("version").value()).isEqualTo(3);
    }

    @Test
    void anEphemeralLogHasNothingToReplayInArchiveMode() throws Exception {
        TestLog l = new TestLog(dir, TOPIC, 5, false);
        logs.add(l);
        l.append(3, 10);
        l.restartArea(true);
        assertThat(drain(start(new FakeSourceTaskContext(), props("orders-5")))).isEmpty();
    }

    @Test
    void theRateLimitHoldsTheRecordsPerSecond() throws Exception {
        TestLog l = log(0);
        l.append(30, 10);
        l.restartArea(true);
        ClfsSourceTask task = start(new FakeSourceTaskContext(), props("orders-0",
                ClfsSourceConfig.MAX_RECORDS_PER_SECOND, "10"));
        List<SourceRecord> first = task.poll();
        assertThat(first).hasSize(10);
        assertThat(task.poll()).as("no token left within the second").isNull();
    }

    @Test
    void aPollStopsAtTheByteCapButReturnsAtLeastOneRecord() throws Exception {
        TestLog l = log(1);
        l.append(10, 100);
        l.restartArea(true);
        int logged = EnvelopeCodec.encodeToArray(TestLog.envelope(TOPIC, 1, 0, 100)).length;
        // One byte more than a record: the second record crosses the cap and ends the poll.
        ClfsSourceTask byBytes = start(new FakeSourceTaskContext(), props("orders-1",
                ClfsSourceConfig.BATCH_MAX_BYTES, String.valueOf(logged + 1)));
        List<Integer> sizes = new ArrayList<>();
        for (List<SourceRecord> b = byBytes.poll(); b != null; b = byBytes.poll()) {
            sizes.add(b.size());
            clock.addAndGet(10);
        }
        assertThat(sizes).containsExactly(2, 2, 2, 2, 2);

        ClfsSourceTask tiny = start(new FakeSourceTaskContext(), props("orders-1",
                ClfsSourceConfig.BATCH_MAX_BYTES, "1"));
        assertThat(tiny.poll()).hasSize(1);
    }

    private static Object metric(FakeSourceTaskContext ctx, String name) {
        for (Map.Entry<MetricName, ? extends org.apache.kafka.common.Metric> e : ctx.metrics.metrics().entrySet()) {
            if (e.getKey().name().equals(name)) {
                return e.getValue().metricValue();
            }
        }
        throw new AssertionError("no metric " + name);
    }
}

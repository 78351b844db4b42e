package io.clfs.connect.source;

import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Range mode with timestamp and origin offset ranges over a log whose timestamps are out of
 * order, written as the sink writes it: exactly the records in range are replayed, and the read
 * starts at a restart area, not at the tail.
 */
class ClfsSourceRangeSelectionTest {
    private static final int SEGMENTS = 10;
    private static final int PER_SEGMENT = 20;

    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private TestLog log;
    private ClfsSourceTask task;
    /** Timestamp of each record, by origin offset. */
    private final List<Long> timestamps = new ArrayList<>();

    /**
     * Segment k holds records stamped in [k*1000 - 300, k*1000 + 700), shuffled, then a restart
     * area (newest timestamp up to it: k*1000 + 699 at most).
     */
    private void writeShuffledLog() {
        log = new TestLog(dir, "orders", 0, true);
        Random random = new Random(15);
        for (int k = 0; k < SEGMENTS; k++) {
            List<Long> stamps = new ArrayList<>();
            for (int i = 0; i < PER_SEGMENT; i++) {
                stamps.add(10_000L + k * 1000L - 300 + i * 50L);
            }
            Collections.shuffle(stamps, random);
            for (long ts : stamps) {
                timestamps.add(ts);
                log.appendStamped(ts, ("k" + timestamps.size()).getBytes(StandardCharsets.UTF_8));
            }
            log.restartArea(false);
        }
    }

    @AfterEach
    void close() {
        if (task != null) {
            task.stop();
        }
        log.close();
    }

    private List<SourceRecord> replay(String... kv) throws InterruptedException {
        Map<String, String> p = new HashMap<>();
        p.put(ClfsSourceConfig.LOG_DIR, dir.toString());
        p.put(ClfsSourceConfig.TASK_LOGS, "orders-0");
        p.put(ClfsSourceConfig.POLL_INTERVAL_MS, "1");
        p.put(ClfsSourceConfig.MODE, "range");
        p.put(ClfsSourceConfig.BATCH_SIZE, "7");
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        task = new ClfsSourceTask(clock::get, System::nanoTime, Runnable::run);
        task.initialize(new FakeSourceTaskContext());
        task.start(p);
        List<SourceRecord> out = new ArrayList<>();
        for (List<SourceRecord> batch = task.poll(); batch != null; batch = task.poll()) {
            out.addAll(batch);
            clock.addAndGet(10);
        }
        return out;
    }

    private static List<Long> offsets(List<SourceRecord> records) {
        return records.stream().map(r -> Long.parseLong(new String((byte[]) r.headers()
                .lastWithName(ReplayRecordBuilder.HEADER_ORIGIN_OFFSET).value(), StandardCharsets.UTF_8))).toList();
    }

    private List<Long> offsetsStamped(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (int o = 0; o < timestamps.size(); o++) {
            if (timestamps.get(o) >= from && timestamps.get(o) < to) {
                out.add((long) o);
            }
        }
        return out;
    }

    @Test
    void aTimeRangeReplaysExactlyTheRecordsStampedInItStartingAtARestartArea() throws Exception {
        writeShuffledLog();
        List<SourceRecord> replayed = replay(ClfsSourceConfig.FROM_TIMESTAMP, "15000",
                ClfsSourceConfig.TO_TIMESTAMP, "1970-01-01T00:00:16.500Z");

        List<Long> expected = offsetsStamped(15_000, 16_500);
        assertThat(expected).hasSizeGreaterThan(PER_SEGMENT); // the window spans segments, in no order
        assertThat(offsets(replayed)).containsExactlyElementsOf(expected);
        assertThat(replayed).allSatisfy(r -> assertThat(r.timestamp()).isBetween(15_000L, 16_499L));
        // Segments 0..4 end with newest timestamps below 15000: the read starts at the fifth restart
        // area and never touches their 100 data records.
        long read = task.replayers().get("orders-0").recordsRead();
        assertThat(read).isLessThanOrEqualTo((SEGMENTS - 5L) * (PER_SEGMENT + 1) + 1);
    }

    @Test
    void anOffsetRangeReplaysThoseOffsetsAndStopsAfterThem() throws Exception {
        writeShuffledLog();
        List<SourceRecord> replayed = replay(ClfsSourceConfig.FROM_OFFSET, "65", ClfsSourceConfig.TO_OFFSET, "90");

        assertThat(offsets(replayed)).containsExactlyElementsOf(java.util.stream.LongStream.range(65, 90).boxed()
                .toList());
        // From the third restart area (last offset 59), up to the record at offset 90.
        assertThat(task.replayers().get("orders-0").recordsRead()).isLessThanOrEqualTo(90 - 60 + 2 + 1);
    }

    @Test
    void timeAndOffsetRangesTogetherSelectRecordsInBoth() throws Exception {
        writeShuffledLog();
        List<SourceRecord> replayed = replay(ClfsSourceConfig.FROM_TIMESTAMP, "12000",
                ClfsSourceConfig.TO_TIMESTAMP, "14000", ClfsSourceConfig.FROM_OFFSET, "50");

        List<Long> expected = offsetsStamped(12_000, 14_000).stream().filter(o -> o >= 50).toList();
        assertThat(expected).isNotEmpty();
        assertThat(offsets(replayed)).containsExactlyElementsOf(expected);
    }

    @Test
    void aWindowAfterEveryRecordReplaysNothingAndReadsOnlyTheLastSegment() throws Exception {
        writeShuffledLog();
        assertThat(replay(ClfsSourceConfig.FROM_TIMESTAMP, "2030-01-01T00:00:00Z")).isEmpty();
        assertThat(task.replayers().get("orders-0").recordsRead()).isLessThanOrEqualTo(1);
    }

    @Test
    void withoutUsableRestartAreasTheReadStartsAtTheTailAndStillFilters() throws Exception {
        log = new TestLog(dir, "orders", 0, true);
        long[] stamps = {5_000, 1_000, 9_000, 2_000, 7_000, 3_000};
        for (long ts : stamps) {
            timestamps.add(ts);
            log.appendStamped(ts, null);
        }
        List<SourceRecord> replayed = replay(ClfsSourceConfig.FROM_TIMESTAMP, "2000", ClfsSourceConfig.TO_TIMESTAMP,
                "7000");
        assertThat(offsets(replayed)).containsExactly(0L, 3L, 5L);
    }

    @Test
    void aTopicMapNamingATopicNoLogHoldsIsRefusedAtStartNamingIt() {
        writeShuffledLog();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> replay(ClfsSourceConfig.FROM_OFFSET, "3",
                        ClfsSourceConfig.TOPIC_MAP, "orders:orders-restored,payments:payments-restored"))
                .isInstanceOf(org.apache.kafka.connect.errors.ConnectException.class)
                .hasMessageContaining("origin topic payments").hasMessageContaining("[orders]");
        task = null;
    }

    @Test
    void aMappedTopicGoesToItsTarget() throws Exception {
        writeShuffledLog();
        assertThat(replay(ClfsSourceConfig.FROM_OFFSET, "198", ClfsSourceConfig.TOPIC_MAP, "orders:orders-restored"))
                .extracting(SourceRecord::topic).containsExactly("orders-restored", "orders-restored");
    }

    @Test
    void aPartitionMappingWithoutBootstrapServersIsRefused() {
        writeShuffledLog();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> replay(ClfsSourceConfig.FROM_OFFSET, "3",
                        ClfsSourceConfig.PARTITION_MAPPING, "hash"))
                .hasMessageContaining(ClfsSourceConfig.BOOTSTRAP_SERVERS);
        task = null;
    }
}

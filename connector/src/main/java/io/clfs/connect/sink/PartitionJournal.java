package io.clfs.connect.sink;

import io.clfs.connect.LogDistance;
import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.connect.envelope.TopicOrigin;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogRecord;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import io.clfs.log.ReadContext;
import io.clfs.log.ReadMode;
import io.clfs.log.RecordFilter;
import io.clfs.log.format.Layout;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * One topic-partition's dedicated log (its live generation, see {@link LogGenerations}) and the
 * sink's bookkeeping for it: the last journaled offset (recovered from the log, which is the
 * truth), running totals, gaps, restart areas and the base-LSN policy. Used by one task thread;
 * the flush may run on a flush thread, and metric gauges read the volatile fields from any thread.
 *
 * <p>Two clocks: the wall clock ({@code nowMs} arguments) for what is stored or compared with
 * record timestamps (a restart area's time, retention by time); a monotonic interval clock for
 * what is due after an interval (restart areas and the policy by time, full-log retries), so that a
 * wall clock set back does not hold them off.
 */
final class PartitionJournal implements AutoCloseable {
    private final TopicPartition tp;
    private final int generation;
    private final ClfsLog log;
    private final LogStream stream;
    private final long restartIntervalMs;
    private final long restartIntervalRecords;
    private final long maxRecordBytes;
    /** Milliseconds of a monotonic clock: see the class comment. */
    private final LongSupplier intervalClock;
    /** Told of each restart area written (the task's metrics). */
    private final Runnable restartAreaWritten;
    /** Restart areas at or above the base: the retention policy's candidates. */
    private final RestartChain restarts;

    /** Offset of the last record in the log; -1 for an empty log. */
    private volatile long lastJournaledOffset;
    /** Offset after the last record handled (journaled, or skipped on purpose); -1 when unknown. */
    private long nextOffset;
    private volatile long recordsJournaled;
    private long bytesJournaled;
    private long maxTimestamp;
    private long gaps;
    private long recordsMissing;
    private boolean finished;
    /** The origin topic last recorded in this log (with {@code clfs.origin.bootstrap.servers}); null when none was. */
    private TopicOrigin origin;
    private long sinceRestart;
    /** Interval-clock times of the last restart area and the last policy run. */
    private long lastRestartMs;
    private long lastPolicyMs;
    private volatile long lastLsn;
    private boolean dirty;
    /** While the log is full under 'block': when to try again (interval clock); -1 when not blocked. */
    private long blockedUntilMs = -1;
    /** Until the first record after open has been seen: see {@link #arrival}. */
    private boolean awaitingFirst = true;
    /** Between a full log and the next successful append: the warning is logged once per episode. */
    private boolean fullEpisode;

    private PartitionJournal(TopicPartition tp, int generation, ClfsLog log, ClfsSinkConfig config, long nowMs,
                             LongSupplier intervalClock, Runnable restartAreaWritten) {
        this.tp = tp;
        this.generation = generation;
        this.restartAreaWritten = restartAreaWritten;
        this.log = log;
        this.stream = log.stream();
        this.restarts = new RestartChain(stream, new RetentionPolicy(config.retentionMs(), config.retentionBytes()));
        this.restartIntervalMs = config.restartIntervalMs();
        this.restartIntervalRecords = config.restartIntervalRecords();
        this.maxRecordBytes = log.policy().usableContainerBytes() - Layout.BLOCK_HEADER_SIZE - Layout.RECORD_HEADER_SIZE;
        this.intervalClock = intervalClock;
        this.lastRestartMs = intervalClock.getAsLong();
        this.lastPolicyMs = lastRestartMs;
        recover(nowMs);
    }

    /** The directory of the partition's first log generation. */
    static Path dirOf(Path root, TopicPartition tp) {
        return LogGenerations.firstDir(root, tp);
    }

    /**
     * Opens (or creates) and recovers the partition's live log generation. A generation found
     * finished (the sink stopped between finishing it and starting the next) is finished again,
     * idempotently, and the next one opened. {@code intervalClock}: see the class comment.
     */
    static PartitionJournal open(LogOpener opener, TopicPartition tp, ClfsSinkConfig config, long nowMs,
                                 LongSupplier intervalClock, Runnable restartAreaWritten) {
        PartitionJournal j = openGeneration(opener, tp, LogGenerations.live(config.logDir(), tp), config, nowMs,
                intervalClock, restartAreaWritten);
        while (j.finished) {
            j.finish(nowMs);
            j = openGeneration(opener, tp, j.generation + 1, config, nowMs, intervalClock, restartAreaWritten);
        }
        return j;
    }

    /** Finishes this generation (see {@link #finish}) and opens the next, empty one. */
    PartitionJournal startNextGeneration(LogOpener opener, ClfsSinkConfig config, long nowMs) {
        finish(nowMs);
        return openGeneration(opener, tp, generation + 1, config, nowMs, intervalClock, restartAreaWritten);
    }

    private static PartitionJournal openGeneration(LogOpener opener, TopicPartition tp, int generation,
                                                   ClfsSinkConfig config, long nowMs, LongSupplier intervalClock,
                                                   Runnable restartAreaWritten) {
        ClfsLog log = opener.openOrCreate(LogGenerations.dirOf(config.logDir(), tp, generation), config.logPolicy(),
                config.archiveEnabled());
        try {
            return new PartitionJournal(tp, generation, log, config, nowMs, intervalClock, restartAreaWritten);
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /**
     * Starts from the newest restart area and reads the data records after it: the cost grows with
     * the records since the last restart area, not with the size of the log.
     */
    private void recover(long nowMs) {
        LogRecord newest = stream.readRestartArea();
        lastJournaledOffset = -1;
        maxTimestamp = -1;
        if (newest != null) {
            SinkRestartArea ra = SinkRestartArea.decode(newest.data());
            checkOwner(ra.topic(), ra.partition(), newest.lsn());
            lastJournaledOffset = ra.lastOffset();
            recordsJournaled = ra.recordsJournaled();
            bytesJournaled = ra.bytesJournaled();
            maxTimestamp = ra.maxTimestamp();
            gaps = ra.gaps();
            recordsMissing = ra.recordsMissing();
            finished = ra.finished();
            origin = ra.origin();
            restarts.load(newest);
        }
        try (ReadContext ctx = newest == null ? stream.readFromTail(RecordFilter.DATA)
                : stream.read(newest.lsn(), ReadMode.FORWARD, RecordFilter.DATA)) {
            boolean first = true;
            for (LogRecord r = ctx.next(); r != null; r = ctx.next()) {
                EnvelopeCodec.Fixed f = EnvelopeCodec.decodeFixed(r.data());
                if (first || f.partition() != tp.partition()) {
                    checkOwner(EnvelopeCodec.decode(r.data()).topic(), f.partition(), r.lsn());
                    first = false;
                }
                lastJournaledOffset = f.offset();
                recordsJournaled++;
                bytesJournaled += r.data().remaining();
                maxTimestamp = Math.max(maxTimestamp, f.timestamp() >= 0 ? f.timestamp() : nowMs);
                sinceRestart++;
            }
        }
        lastLsn = stream.lastLsn();
        nextOffset = lastJournaledOffset < 0 ? -1 : lastJournaledOffset + 1;
    }

    private void checkOwner(String topic, int partition, long lsn) {
        if (!topic.equals(tp.topic()) || partition != tp.partition()) {
            throw new ConnectException("log " + log.dir() + " holds records of " + topic + "-" + partition
                    + " (at LSN " + Lsn.toString(lsn) + "), not of " + tp + ": check " + ClfsSinkConfig.LOG_DIR);
        }
    }

    TopicPartition partition() {
        return tp;
    }

    ClfsLog log() {
        return log;
    }

    /** Where the consumer should resume: the offset after the last handled record, or -1 if unknown. */
    long nextOffset() {
        return nextOffset;
    }

    long lastJournaledOffset() {
        return lastJournaledOffset;
    }

    long recordsJournaled() {
        return recordsJournaled;
    }

    long lastLsn() {
        return lastLsn;
    }

    int generation() {
        return generation;
    }

    long gaps() {
        return gaps;
    }

    long recordsMissing() {
        return recordsMissing;
    }

    TopicOrigin origin() {
        return origin;
    }

    /**
     * Records the origin topic as described now, by a restart area when it is new or changed; a full
     * log postpones that restart area to the next one due (LogFullException).
     */
    void recordOrigin(TopicOrigin described, long nowMs) {
        if (!described.equals(origin)) {
            origin = described;
            sinceRestart++;
            writeRestartArea(nowMs);
        }
    }

    /**
     * This new generation holds a recreated topic, whose records start at offset 0: resume there, not
     * at an offset committed for the old topic, so that a record the new topic lost is a gap.
     */
    void startAtFirstOffset() {
        nextOffset = 0;
    }

    /** How a delivered record stands to the log's next offset. */
    enum Arrival {
        /** The next record, or one after records Kafka skipped on its own (transaction markers, compaction). */
        NEXT,
        /** At or below the last handled record, after open's seek: Connect redelivers what the task already had. */
        REDELIVERY,
        /** The first record after open lies past the log's next offset: the records between are gone from Kafka. */
        GAP,
        /**
         * The first record after open lies below the log's next offset. The task seeked the consumer
         * to the next offset, so Kafka reset the position: the partition starts over (topic deleted
         * and recreated, or truncated). Its records are new, not redeliveries.
         */
        RESET
    }

    /** Classifies a delivered record; the first call after open decides between {@link Arrival#GAP} and {@link Arrival#RESET}. */
    Arrival arrival(long offset) {
        boolean first = awaitingFirst;
        awaitingFirst = false;
        if (nextOffset < 0 || offset == nextOffset) {
            return Arrival.NEXT;
        }
        if (first) {
            return offset > nextOffset ? Arrival.GAP : Arrival.RESET;
        }
        return offset < nextOffset ? Arrival.REDELIVERY : Arrival.NEXT;
    }

    /**
     * Journals a gap before the record at {@code offset}: counts it and writes a restart area that
     * carries the counts, so the log itself says that offsets are missing and how many.
     *
     * @return the offsets missing in this gap
     */
    long recordGap(long offset, long nowMs) {
        long missing = offset - nextOffset;
        gaps++;
        recordsMissing += missing;
        nextOffset = offset;
        sinceRestart++; // should a full log postpone the restart area below, maintain() writes it later
        writeRestartArea(nowMs);
        return missing;
    }

    /** The largest envelope one record of this log can hold. */
    long maxRecordBytes() {
        return maxRecordBytes;
    }

    /**
     * Appends the envelope; not durable until {@link #flush}. Throws the engine's LogFullException
     * (nothing appended) or another ClfsException.
     *
     * @return the envelope's size in bytes
     */
    int append(Envelope e, long nowMs) {
        ByteBuffer[] parts = EnvelopeCodec.encode(e);
        int size = 0;
        for (ByteBuffer p : parts) {
            size += p.remaining();
        }
        if (size > maxRecordBytes) {
            throw new RecordTooLargeException(tp + " offset " + e.offset() + ": its envelope of " + size
                    + " bytes exceeds the " + maxRecordBytes + " bytes a record of a " + log.policy().containerSize()
                    + "-byte container can hold (" + ClfsSinkConfig.CONTAINER_SIZE + ")");
        }
        lastLsn = stream.append(parts);
        lastJournaledOffset = e.offset();
        nextOffset = e.offset() + 1;
        recordsJournaled++;
        bytesJournaled += size;
        maxTimestamp = Math.max(maxTimestamp, e.timestamp() >= 0 ? e.timestamp() : nowMs);
        sinceRestart++;
        dirty = true;
        return size;
    }

    /** A record handled without journaling (ignored null value, dead-lettered): do not redeliver it. */
    void skip(long offset) {
        nextOffset = Math.max(nextOffset, offset + 1);
    }

    boolean dirty() {
        return dirty;
    }

    /** Makes every appended record durable (fsync); safe to run on a flush thread. */
    void flush() {
        log.flush();
    }

    void markFlushed() {
        dirty = false;
    }

    /** True when a restart area is due by record count: checked after each append. */
    boolean restartDueByRecords() {
        return sinceRestart >= restartIntervalRecords;
    }

    /** Restart areas by time and the base-LSN policy, due at least every restart interval. */
    void maintain(long nowMs) {
        long now = intervalClock.getAsLong();
        if (sinceRestart > 0 && (restartDueByRecords() || now - lastRestartMs >= restartIntervalMs)) {
            writeRestartArea(nowMs);
        } else if (now - lastPolicyMs >= restartIntervalMs) {
            releaseByPolicy(nowMs);
        }
    }

    /**
     * Moves the base as far as the policy allows now. Records since the last restart area can only
     * be released behind a new one, so one is written first when there are any.
     */
    void releaseByPolicy(long nowMs) {
        if (sinceRestart > 0) {
            writeRestartArea(nowMs);
            return;
        }
        long target = retentionTarget(nowMs);
        if (Lsn.less(stream.baseLsn(), target)) {
            stream.advanceBase(target);
            restarts.prune();
        }
        lastPolicyMs = intervalClock.getAsLong();
    }

    /** Milliseconds until {@link #maintain} has work by time, or the blocked retry is due. */
    long millisUntilDue() {
        long nowMs = intervalClock.getAsLong();
        long due = lastPolicyMs + restartIntervalMs - nowMs;
        if (sinceRestart > 0) {
            due = Math.min(due, lastRestartMs + restartIntervalMs - nowMs);
        }
        if (blockedUntilMs >= 0) {
            due = Math.min(due, blockedUntilMs - nowMs);
        }
        return Math.max(0, due);
    }

    /** Appends a restart area (durable, with all before it) and moves the base by the policy in the same step. */
    void writeRestartArea(long nowMs) {
        long target = retentionTarget(nowMs);
        ByteBuffer data = restartArea(nowMs).encode();
        long lsn = Lsn.less(stream.baseLsn(), target) ? stream.writeRestartArea(data, target)
                : stream.writeRestartArea(data);
        restarts.add(lsn, bytesJournaled, maxTimestamp);
        lastLsn = lsn;
        sinceRestart = 0;
        dirty = false;
        lastRestartMs = intervalClock.getAsLong();
        lastPolicyMs = lastRestartMs;
        restartAreaWritten.run();
    }

    private SinkRestartArea restartArea(long nowMs) {
        return new SinkRestartArea(tp.topic(), tp.partition(), lastJournaledOffset, recordsJournaled, bytesJournaled,
                maxTimestamp, nowMs, gaps, recordsMissing, finished, origin);
    }

    /**
     * Ends this generation for good and releases the log: a restart area marked finished, and in an
     * archived log the base moved onto it, so that the source connector replays every record.
     * Idempotent. An ephemeral log keeps its base, since below it its records would be unreadable.
     */
    void finish(long nowMs) {
        try {
            long restart = stream.restartLsn();
            if (!finished || sinceRestart > 0) {
                finished = true;
                restart = stream.writeRestartArea(restartArea(nowMs).encode());
                sinceRestart = 0;
                dirty = false;
                restartAreaWritten.run();
            }
            if (log.archiveEnabled() && restart != Lsn.INVALID && Lsn.less(stream.baseLsn(), restart)) {
                stream.advanceBase(restart);
            }
        } finally {
            log.close();
        }
    }

    private long retentionTarget(long nowMs) {
        return restarts.retentionTarget(bytesJournaled, nowMs);
    }

    /** Returns true when this starts a new full-log episode. */
    boolean startFullEpisode() {
        boolean started = !fullEpisode;
        fullEpisode = true;
        return started;
    }

    void endFullEpisode() {
        fullEpisode = false;
    }

    boolean blocked() {
        return blockedUntilMs >= 0;
    }

    void block(long retryMs) {
        blockedUntilMs = intervalClock.getAsLong() + retryMs;
    }

    boolean retryDue() {
        return blockedUntilMs >= 0 && intervalClock.getAsLong() >= blockedUntilMs;
    }

    void unblock() {
        blockedUntilMs = -1;
    }

    long baseLsn() {
        return stream.baseLsn();
    }

    long archiveTail() {
        return log.archiveEnabled() ? stream.archiveTail() : Lsn.INVALID;
    }

    /** Bytes released below the base but not yet archived (container framing counted). */
    long bytesPendingArchive() {
        if (!log.archiveEnabled()) {
            return 0;
        }
        return LogDistance.bytesBetween(log.policy(), stream.archiveTail(), stream.baseLsn());
    }

    boolean failed() {
        return log.failed();
    }

    /** Writes a restart area if records came since the last one (on close and on stop), then releases the log. */
    @Override
    public void close() {
        try {
            if (sinceRestart > 0 && !log.failed()) {
                writeRestartArea(System.currentTimeMillis());
            }
        } finally {
            log.close();
        }
    }
}

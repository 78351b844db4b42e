package io.clfs.connect.sink;

import io.clfs.connect.DirectoryMarker;
import io.clfs.connect.RuntimeFeatures;
import io.clfs.connect.Version;
import io.clfs.connect.envelope.Envelope;
import io.clfs.log.ClfsException;
import io.clfs.log.ClfsLog;
import io.clfs.log.DiskFullException;
import io.clfs.log.LogFullException;
import io.clfs.log.io.FileIO;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.storage.Converter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Journals each record of its partitions into the partition's log, exactly once.
 *
 * <p>The log is the truth: {@link #open} recovers each log and seeks the consumer to the offset
 * after the last journaled record. The first record after that tells whether Kafka followed the
 * seek: one past it is a gap (journaled and reported), one below it means Kafka started the
 * partition over, so the log is finished and a new generation begins (see {@link LogGenerations}; with
 * {@code clfs.origin.bootstrap.servers} a changed topic id does the same at once, see {@link OriginCheck});
 * later records at or below the last handled one are redeliveries and skipped; {@link #preCommit}
 * makes the logs durable (in parallel) before it returns an offset, so Kafka never commits an
 * offset whose record is not on disk. {@code put} runs the periodic work (restart areas, the
 * base-LSN policy, retries of full logs) and asks Connect, through {@code context.timeout}, to call
 * it again in time even when no records arrive. A file system too full for a new container or log
 * is a full log: under {@code block} only that partition waits, paused, and resumes by itself. So
 * does a partition whose log another writer holds, until the open timeout lets it take the log over
 * ({@link LogOpener}); a log taken over from this task is given up, not failed ({@link FencedLogs}).
 *
 * <p>A failure that leaves a log in doubt (disk error, fencing) is kept and thrown from every later
 * call: Connect only logs exceptions from {@code preCommit}, and the task must not go on.
 */
public class ClfsSinkTask extends SinkTask {
    private static final Logger log = LoggerFactory.getLogger(ClfsSinkTask.class);

    private final LongSupplier clock;
    /** Monotonic milliseconds, for what is due after an interval: see {@link PartitionJournal}. */
    private final LongSupplier intervalClock;
    private final FileIO io;
    private final Map<TopicPartition, PartitionJournal> journals = new HashMap<>();
    private ClfsSinkConfig config;
    private RecordEnveloper enveloper;
    private Converter keyFormat;
    private Converter valueFormat;
    private ErrantRecordReporter reporter;
    private boolean tolerateAll;
    private LogIoPool logIo;
    private GroupFlusher flusher;
    private SinkMetrics metrics;
    private OriginTopics origins;
    private volatile int pausedPartitions;
    private ConnectException fatal;
    private FencedLogs fenced;
    private JournalOpener opener;

    public ClfsSinkTask() {
        this(System::currentTimeMillis, () -> System.nanoTime() / 1_000_000, FileIO.real());
    }

    /** For tests: a clock to move (read as wall and interval clock alike), and a disk that can fail. */
    ClfsSinkTask(LongSupplier clock, FileIO io) {
        this(clock, clock, io);
    }

    /** For tests: a wall clock and an interval clock that move apart, as when the wall clock is set back. */
    ClfsSinkTask(LongSupplier clock, LongSupplier intervalClock, FileIO io) {
        this.clock = clock;
        this.intervalClock = intervalClock;
        this.io = io;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new ClfsSinkConfig(props);
        try {
            Files.createDirectories(config.logDir());
        } catch (IOException e) {
            throw new ConnectException("cannot create " + ClfsSinkConfig.LOG_DIR + " " + config.logDir() + ": " + e, e);
        }
        DirectoryMarker.check(config.logDir(), DirectoryMarker.connectorName(props), props);
        keyFormat = config.newFormatConverter(true);
        valueFormat = config.newFormatConverter(false);
        enveloper = new RecordEnveloper(keyFormat, valueFormat);
        reporter = RuntimeFeatures.ifSupported(() -> context.errantRecordReporter()); // KIP-610
        tolerateAll = "all".equalsIgnoreCase(props.get("errors.tolerance"));
        metrics = new SinkMetrics(RuntimeFeatures.pluginMetrics(() -> context.pluginMetrics()),
                () -> pausedPartitions + opener.waitingCount());
        logIo = new LogIoPool(config.flushThreads(), "clfs-sink");
        flusher = new GroupFlusher(logIo);
        origins = OriginTopics.of(config);
        fenced = new FencedLogs(metrics);
        // the task thread's name carries the connector and task id ("task-thread-<connector>-<id>")
        opener = new JournalOpener(io, DirectoryMarker.connectorName(props) + " " + Thread.currentThread().getName(),
                config, intervalClock, context, metrics, origins, this::failed);
        ClfsLog.setDirectMemoryBudget(config.directMemoryBudget());
        log.info("Journaling into {} ({} null values, {} on a full log)", config.logDir(), config.nullValueBehavior(),
                config.logFullBehavior());
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        long now = clock.getAsLong();
        origins.describe(partitions);
        List<TopicPartition> toOpen = partitions.stream().filter(tp -> !journals.containsKey(tp) && !opener.waits(tp))
                .toList();
        opener.openAll(toOpen, now, logIo, j -> journals.put(j.partition(), j));
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        checkNotFailed();
        long now = clock.getAsLong();
        for (SinkRecord r : records) {
            TopicPartition tp = new TopicPartition(r.originalTopic(), r.originalKafkaPartition());
            PartitionJournal j = journals.get(tp);
            if (j == null && fenced.contains(tp)) {
                continue; // another task owns it now
            }
            if (j == null && opener.waits(tp)) {
                context.offset(tp, opener.arrived(tp, r.originalKafkaOffset())); // it comes again once the log exists
                continue;
            }
            if (j == null) {
                throw failed(new ConnectException(describe(r) + " arrived for a partition this task has not opened"));
            }
            if (j.blocked()) {
                continue; // the consumer was rewound to this partition's next offset; it comes again
            }
            long offset = r.originalKafkaOffset();
            switch (j.arrival(offset)) {
                case REDELIVERY -> {
                    metrics.skipped();
                    continue;
                }
                case GAP -> recordGap(j, offset, now);
                case RESET -> {
                    j = startNextGeneration(j, offset, now);
                    if (j == null) {
                        continue; // no space for the new generation yet: the record comes again
                    }
                }
                case NEXT -> { }
            }
            if (journals.get(tp) != j) {
                continue; // given up while its gap was recorded
            }
            if (r.value() == null && config.nullValueBehavior() != ClfsSinkConfig.NullValueBehavior.WRITE) {
                if (config.nullValueBehavior() == ClfsSinkConfig.NullValueBehavior.FAIL) {
                    throw failed(new ConnectException(describe(r) + " has a null value and "
                            + ClfsSinkConfig.NULL_VALUES + "=fail"));
                }
                j.skip(offset);
                continue;
            }
            journal(j, r, offset, now);
        }
        metrics.publishJournaled();
        maintain(now);
    }

    /** Kafka resumed past the log's end: journaled and reported, never passed over in silence. */
    private void recordGap(PartitionJournal j, long offset, long now) {
        long from = j.nextOffset();
        writingRestartArea(j, () -> j.recordGap(offset, now));
        metrics.gap(offset - from);
        log.warn("Gap in {}: its log {} ends before offset {}, but Kafka resumed at offset {}: {} offset(s) were deleted"
                + " (retention, deleteRecords) or compacted before they were journaled, or held transaction markers."
                + " Journaled as a gap ({} gap(s), {} offset(s) missing in this log)", j.partition(), j.log().dir(),
                from, offset, offset - from, j.gaps(), j.recordsMissing());
    }

    /**
     * Kafka started the partition over below the log's end (topic recreated or truncated): the
     * live generation is finished, kept for replay, and the records go into a new one. Skipping
     * them as redeliveries would lose them. Null when there is no space for the new generation yet:
     * the partition then waits as for any log that cannot be created.
     */
    private PartitionJournal startNextGeneration(PartitionJournal j, long offset, long now) {
        TopicPartition tp = j.partition();
        metrics.removePartition(j);
        PartitionJournal next;
        try {
            next = j.startNextGeneration(opener.logOpener(), config, now);
        } catch (LogFullException full) {
            journals.remove(tp); // finished; the next open starts the new generation
            opener.waitForSpace(tp, full);
            context.offset(tp, opener.arrived(tp, offset));
            return null;
        } catch (RuntimeException e) {
            journals.remove(tp); // closed by now, whichever step failed
            throw failed(new ConnectException("cannot start a new log generation for " + tp + " after "
                    + j.log().dir() + ": " + e.getMessage(), e));
        }
        journals.put(tp, next);
        metrics.addPartition(next);
        next.arrival(offset); // the new generation starts with this record
        log.warn("Kafka restarted {} at offset {}, below its log's next offset {}: the topic was deleted and recreated,"
                + " or truncated. The log {} is finished and kept for replay ({} records, last offset {}); journaling"
                + " into the new generation {}", tp, offset, j.nextOffset(), j.log().dir(), j.recordsJournaled(),
                j.lastJournaledOffset(), next.log().dir());
        return next;
    }

    private void journal(PartitionJournal j, SinkRecord r, long offset, long now) {
        Envelope e;
        try {
            e = enveloper.envelope(r);
        } catch (RuntimeException unserializable) {
            deadLetter(j, r, unserializable);
            return;
        }
        try {
            metrics.journaled(j.append(e, now));
        } catch (RecordTooLargeException tooLarge) {
            deadLetter(j, r, tooLarge);
            return;
        } catch (LogFullException full) {
            onLogFull(j, offset, full);
            return;
        } catch (RuntimeException disk) {
            if (FencedLogs.takenOver(j, disk)) {
                giveUp(j, disk);
                return;
            }
            throw failed(new ConnectException("cannot journal " + describe(r) + " into " + j.log().dir() + ": "
                    + disk.getMessage(), disk));
        }
        j.endFullEpisode();
        if (j.restartDueByRecords()) {
            writingRestartArea(j, () -> j.writeRestartArea(now));
        }
    }

    /** A record that cannot be journaled: to the dead-letter queue when tolerated, else the task fails naming it. */
    private void deadLetter(PartitionJournal j, SinkRecord r, RuntimeException error) {
        String what = describe(r) + " cannot be journaled: " + error.getMessage();
        if (reporter != null) {
            try {
                reporter.report(r, error);
            } catch (RuntimeException refused) {
                throw failed(new ConnectException(what, error));
            }
        } else if (tolerateAll) {
            log.warn("Skipping {} (errors.tolerance=all, no dead-letter queue configured)", what, error);
        } else {
            throw failed(new ConnectException(what, error));
        }
        j.skip(r.originalKafkaOffset());
    }

    private void onLogFull(PartitionJournal j, long offset, LogFullException full) {
        TopicPartition tp = j.partition();
        if (config.logFullBehavior() == ClfsSinkConfig.LogFullBehavior.FAIL) {
            throw failed(new ConnectException("the log of " + tp + " is full at offset " + offset + " ("
                    + ClfsSinkConfig.LOG_FULL_BEHAVIOR + "=fail): " + full.getMessage(), full));
        }
        boolean newEpisode = j.startFullEpisode();
        j.block(config.logFullRetryMs());
        context.offset(tp, offset);
        context.pause(tp);
        pausedPartitions++;
        metrics.fullPause(full instanceof DiskFullException);
        String message = "Paused {} at offset {}: its log is full; retrying every {} ms ({}=block). {}";
        Object[] args = {tp, offset, config.logFullRetryMs(), ClfsSinkConfig.LOG_FULL_BEHAVIOR, full.getMessage()};
        if (newEpisode) {
            log.warn(message, args);
        } else {
            log.debug(message, args);
        }
    }

    /** Restart areas and the base-LSN policy where due, retries of full logs, and the next wake-up. */
    private void maintain(long now) {
        opener.retryDue(now).forEach(j -> journals.put(j.partition(), j));
        long nextDue = opener.millisUntilDue();
        for (PartitionJournal j : List.copyOf(journals.values())) {
            writingRestartArea(j, () -> {
                if (j.retryDue()) {
                    retryFull(j, now);
                }
                j.maintain(now);
            });
            nextDue = Math.min(nextDue, j.millisUntilDue());
        }
        if (nextDue != Long.MAX_VALUE) {
            context.timeout(Math.max(1, nextDue)); // so that put() comes again in time, records or not
        }
    }

    /** Before resuming a full partition, try to release space: a restart area lets the policy move the base. */
    private void retryFull(PartitionJournal j, long now) {
        try {
            j.releaseByPolicy(now);
        } catch (LogFullException stillFull) {
            log.debug("The log of {} is still full: {}", j.partition(), stillFull.getMessage());
        }
        j.unblock();
        pausedPartitions--;
        context.resume(j.partition());
    }

    /** Runs work that may write a restart area: a full log only postpones it, any other failure fails the task. */
    private void writingRestartArea(PartitionJournal j, Runnable work) {
        try {
            work.run();
        } catch (LogFullException full) {
            log.debug("No room for a restart area in the log of {} yet: {}", j.partition(), full.getMessage());
        } catch (ClfsException e) {
            if (FencedLogs.takenOver(j, e)) {
                giveUp(j, e);
                return;
            }
            throw failed(new ConnectException("cannot write a restart area into the log of " + j.partition() + ": "
                    + e.getMessage(), e));
        }
    }

    /** Makes every dirty log durable, then reports, per partition, the offset after the last handled record. */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        if (fatal != null) {
            return Map.of(); // commit nothing; put() reports the failure (Connect only logs preCommit's exceptions)
        }
        giveUpTakenOver(); // before a flush writes blocks where the new owner writes
        List<PartitionJournal> dirty = new ArrayList<>();
        for (PartitionJournal j : journals.values()) {
            if (j.dirty()) {
                dirty.add(j);
            }
        }
        long start = System.nanoTime();
        try {
            flusher.flushAll(dirty).forEach(this::giveUp);
        } catch (ConnectException e) {
            throw failed(e);
        }
        if (!dirty.isEmpty()) {
            metrics.flushed((System.nanoTime() - start) / 1_000_000);
        }
        maintain(clock.getAsLong());
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (PartitionJournal j : journals.values()) {
            if (j.nextOffset() >= 0 && !j.dirty()) {
                offsets.put(j.partition(), new OffsetAndMetadata(j.nextOffset()));
            }
        }
        return offsets;
    }

    /** Writes a restart area into each closed partition's log and releases it for the partition's next owner. */
    @Override
    public void close(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            if (fenced.remove(tp)) {
                forgetPause(tp);
            }
            if (opener.forget(tp)) {
                forgetPause(tp);
            }
            PartitionJournal j = journals.remove(tp);
            if (j == null) {
                continue;
            }
            metrics.removePartition(j);
            if (j.blocked()) {
                pausedPartitions--;
                forgetPause(tp);
            }
            if (FencedLogs.takenOver(j, null)) {
                fenced.close(j, null); // its closing restart area would land where the new owner writes
                continue;
            }
            try {
                j.close();
            } catch (LogFullException full) {
                log.warn("No room for the closing restart area of {}: its next owner reads from the one before. {}", tp,
                        full.getMessage());
            } catch (RuntimeException e) {
                if (FencedLogs.takenOver(j, e)) {
                    fenced.close(j, e);
                    continue;
                }
                log.error("Could not close the log of {} cleanly", tp, e);
                if (fatal == null) {
                    fatal = new ConnectException("could not close the log of " + tp + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** Gives up each partition whose log another writer took over (one {@code stat} per log): see {@link FencedLogs}. */
    private void giveUpTakenOver() {
        for (PartitionJournal j : List.copyOf(journals.values())) {
            if (FencedLogs.takenOver(j, null)) {
                giveUp(j, null);
            }
        }
    }

    /** Takes {@code j} out of the task's journals, paused: see {@link FencedLogs}. */
    private void giveUp(PartitionJournal j, Throwable error) {
        TopicPartition tp = j.partition();
        journals.remove(tp);
        metrics.removePartition(j);
        if (j.blocked()) {
            pausedPartitions--;
        } else {
            context.pause(tp);
        }
        fenced.giveUp(j, error);
    }

    /**
     * Connect keeps the task's paused partitions across a rebalance and pauses them again if they
     * come back to this task, whose new journal would never resume them: undo the pause now.
     */
    private void forgetPause(TopicPartition tp) {
        try {
            context.resume(tp);
        } catch (RuntimeException notAssignedAnyMore) {
            log.debug("{} was no longer assigned when its pause was lifted", tp, notAssignedAnyMore);
        }
    }

    @Override
    public void stop() {
        try {
            close(List.copyOf(journals.keySet()));
        } finally {
            if (logIo != null) {
                logIo.close();
            }
            if (metrics != null) {
                metrics.close();
            }
            if (origins != null) {
                origins.close();
            }
            closeQuietly(keyFormat);
            closeQuietly(valueFormat);
        }
    }

    private static void closeQuietly(Converter c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("Closing format converter failed", e);
            }
        }
    }

    private ConnectException failed(ConnectException e) {
        if (fatal == null) {
            fatal = e;
        }
        return e;
    }

    private void checkNotFailed() {
        if (fatal != null) {
            throw new ConnectException("the task stopped after an earlier failure: " + fatal.getMessage(), fatal);
        }
    }

    static String describe(SinkRecord r) {
        return "record at topic '" + r.originalTopic() + "' partition " + r.originalKafkaPartition() + " offset "
                + r.originalKafkaOffset();
    }
}

package io.clfs.connect.source;

import io.clfs.connect.DirectoryMarker;
import io.clfs.connect.RuntimeFeatures;
import io.clfs.connect.Version;
import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.connect.envelope.EnvelopeFormatException;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogRecord;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Replays its logs into Kafka, and in archive mode moves each log's archive tail past what Kafka
 * has durably taken and Connect has committed.
 *
 * <p><b>When the archive tail moves.</b> Neither hook alone says that an offset is committed:
 * outside exactly-once mode {@code commitRecord} runs when the producer acknowledges a record,
 * before its offset is flushed; and {@code commit()} runs after an offset flush that covers only
 * the records acknowledged when the flush began, not those acknowledged since. So the task
 * tracks, per log, the LSN up to which every replayed record was acknowledged
 * ({@code commitRecord}), and after {@code commit()} reads the committed offsets back from
 * Connect's offset store, the one definition of "committed". The tail moves to the first record
 * that still needs replay after the lower of the two. {@code poll} starts the read at most every
 * {@code clfs.archive.tail.interval.ms}, on the task's own offset-read thread (a read waits for
 * the offset store to catch up, tens of milliseconds the task thread would not replay), and moves
 * the tails in a later {@code poll} once it is done; so {@code commit()} (on the worker's shared
 * offset-commit thread) never blocks on it, and the log is only touched by the task thread. With
 * exactly-once support the same rule holds: the offsets are committed in the record's
 * transaction, and {@code commitRecord} runs after that commit.
 *
 * <p>Threads: {@code poll} and the tail moves on the task thread; the offset read on the
 * offset-read thread, handed over through a future only the task thread keeps; {@code
 * commitRecord} on the producer's thread; {@code commit} on the offset-commit thread; {@code stop}
 * on the herder's. {@code work} guards the replays against {@code stop}.
 */
public class ClfsSourceTask extends SourceTask {
    private static final Logger log = LoggerFactory.getLogger(ClfsSourceTask.class);
    private static final long LAG_INTERVAL_MS = 1_000;

    private final LongSupplier clock;
    private final LongSupplier nanoClock;
    /** Runs the reads of the committed offsets; shut down by {@code stop} when it is an executor service. */
    private final Executor offsetReads;
    /** The read of the committed offsets under way or not yet applied, or null; the task thread's only. */
    private CompletableFuture<Map<Map<String, String>, Map<String, Object>>> committedRead;
    private final ReentrantLock work = new ReentrantLock();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicBoolean commitSeen = new AtomicBoolean(true);
    private volatile boolean stopping;
    private boolean closed;

    private ClfsSourceConfig config;
    private Map<String, String> props;
    private ReplayRecordBuilder builder;
    private RateLimiter limiter;
    private SourceMetrics metrics;
    private TransactionContext transactions;
    private boolean tolerateAll;
    /** {@link ClfsSourceConfig#maxRecordBytes}, read once: it is checked for every record. */
    private int maxRecordBytes;
    private List<Replay> order = List.of();
    private int nextLog;
    private long batch;
    private long lastArchiveMs = Long.MIN_VALUE / 2;
    private long lastLagMs = Long.MIN_VALUE / 2;
    /** A record that cannot be replayed, found after others in the same poll: thrown by the next poll. */
    private ConnectException failure;

    /** One log's replay and what the task keeps about it. */
    private static final class Replay {
        final LogReplayer replayer;
        final Map<String, String> partition;
        final AckTracker acks;
        volatile LogReplayer.Lag lag = new LogReplayer.Lag(-1, -1, Lsn.INVALID, Lsn.INVALID, Lsn.INVALID);
        /** The last record handed out, and the batch it went in: the end of an open segment. */
        SourceRecord lastHanded;
        long lastHandedBatch = -1;

        Replay(LogReplayer replayer, Map<String, String> partition, AckTracker acks) {
            this.replayer = replayer;
            this.partition = partition;
            this.acks = acks;
        }
    }

    public ClfsSourceTask() {
        this(System::currentTimeMillis, System::nanoTime, Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "clfs-source-offset-read");
            t.setDaemon(true);
            return t;
        }));
    }

    /** @param offsetReads runs the reads of the committed offsets (see the class comment) */
    ClfsSourceTask(LongSupplier clock, LongSupplier nanoClock, Executor offsetReads) {
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.offsetReads = offsetReads;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new ClfsSourceConfig(props);
        DirectoryMarker.check(config.logDir(), DirectoryMarker.connectorName(props), props);
        this.props = props;
        limiter = new RateLimiter(config.maxRecordsPerSecond(), nanoClock);
        tolerateAll = "all".equalsIgnoreCase(props.get("errors.tolerance"));
        maxRecordBytes = config.maxRecordBytes();
        metrics = new SourceMetrics(RuntimeFeatures.pluginMetrics(() -> context.pluginMetrics()));
        // Non-null only with exactly-once support and transaction.boundary=connector (KIP-618).
        transactions = RuntimeFeatures.ifSupported(() -> context.transactionContext());
        openLogs();
    }

    private void openLogs() {
        LogDirectory directory = new LogDirectory(config.logDir(), List.of());
        Map<String, ClfsLog> logs = new LinkedHashMap<>();
        Map<String, Replay> opened = new LinkedHashMap<>();
        try {
            for (String name : config.taskLogs()) {
                if (ClfsLog.exists(directory.dirOf(name))) {
                    logs.put(name, LogReplayer.openLog(directory.dirOf(name)));
                } else {
                    log.warn("Log {} is gone from {}: not replayed (the connector reassigns the logs)", name,
                            directory.root());
                }
            }
            Map<String, Map<String, String>> partitions = new LinkedHashMap<>();
            List<Map<String, String>> asked = new ArrayList<>();
            logs.forEach((name, clfs) -> {
                partitions.put(name, SourceOffsets.partition(name, clfs.info().logId(), config));
                asked.add(partitions.get(name));
                asked.add(SourceOffsets.legacyPartition(name, config));
            });
            Map<Map<String, String>, Map<String, Object>> committed = asked.isEmpty() ? Map.of()
                    : CommittedOffsets.read(context.offsetStorageReader(), asked);
            for (Map.Entry<String, Map<String, String>> e : partitions.entrySet()) {
                String name = e.getKey();
                ClfsLog clfs = logs.remove(name);
                long lsn = SourceOffsets.lsnOf(committedOffset(committed, name, e.getValue()), name,
                        e.getValue().get(SourceOffsets.LOG_ID));
                Replay r = new Replay(LogReplayer.resume(name, clfs, config, lsn), e.getValue(), new AckTracker(lsn));
                opened.put(name, r);
                metrics.addLog(name, () -> r.lag);
            }
        } catch (RuntimeException e) {
            logs.values().forEach(ClfsLog::close);
            opened.values().forEach(r -> r.replayer.close());
            metrics.close();
            throw e;
        }
        PartitionMapper partitions;
        try {
            Map<String, LogStream> streams = new LinkedHashMap<>();
            opened.forEach((name, r) -> streams.put(name, r.replayer.stream()));
            partitions = ReplayPreflight.run(config, props, new LogDirectory(config.logDir(), config.logs()).list(),
                    streams, clock.getAsLong());
        } catch (RuntimeException e) {
            opened.values().forEach(r -> r.replayer.close());
            metrics.close();
            throw e;
        }
        order = List.copyOf(opened.values());
        builder = new ReplayRecordBuilder(config.replayTopics(), partitions, config.replayHeaders(),
                config.newFormatConverter(true), config.newFormatConverter(false));
        log.info("Replaying {} log(s) of {}: {}", order.size(), config.logDir(), opened.keySet());
    }

    /**
     * The log's committed offset: under its partition with the log id, or else under the partition
     * by name that connectors of earlier versions committed (their users' progress).
     */
    private Map<String, Object> committedOffset(Map<Map<String, String>, Map<String, Object>> committed, String name,
                                                Map<String, String> partition) {
        Map<String, Object> offset = committed.get(partition);
        if (offset != null) {
            return offset;
        }
        Map<String, String> legacy = SourceOffsets.legacyPartition(name, config);
        offset = committed.get(legacy);
        if (offset != null) {
            log.info("Log {}: resuming from the offset {} committed under {} by an earlier version of the connector;"
                    + " from now on its offsets are kept under {}", name, offset, legacy, partition);
        }
        return offset;
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        long waitMs;
        long now = clock.getAsLong();
        metrics.publishReplayed();
        Map<Map<String, String>, Map<String, Object>> committed = committedIfRead(now);
        work.lock();
        try {
            if (stopping || closed) {
                return null;
            }
            if (failure != null) {
                throw failure;
            }
            if (committed != null) {
                archive(committed);
            }
            for (Replay r : order) {
                r.replayer.maybeRefresh(now);
            }
            maybeUpdateLag(now);
            int budget = limiter.permits(config.batchSize());
            if (budget > 0) {
                List<SourceRecord> out = gather(budget);
                if (!out.isEmpty()) {
                    limiter.consume(out.size());
                    return out;
                }
                waitMs = config.pollIntervalMs();
            } else {
                waitMs = Math.max(1, Math.min(config.pollIntervalMs(),
                        TimeUnit.NANOSECONDS.toMillis(limiter.nanosUntilPermit())));
            }
        } finally {
            work.unlock();
        }
        // Nothing to replay now: wait outside the lock, so that stop() is never held up by it.
        stopRequested.await(waitMs, TimeUnit.MILLISECONDS);
        return null;
    }

    /**
     * Up to {@code budget} records and about {@code clfs.replay.batch.max.bytes} of them, taking the
     * logs in turn so that a busy log does not starve the others.
     */
    private List<SourceRecord> gather(int budget) {
        List<SourceRecord> out = new ArrayList<>(Math.min(budget, 1024));
        long stamp = ++batch;
        long bytesLeft = config.batchMaxBytes();
        int n = order.size();
        for (int i = 0; i < n && out.size() < budget && bytesLeft > 0; i++) {
            Replay r = order.get((nextLog + i) % n);
            while (out.size() < budget && bytesLeft > 0) {
                LogRecord rec = r.replayer.next(() -> segmentEnd(r, stamp));
                if (rec == null) {
                    break;
                }
                SourceRecord sr;
                try {
                    sr = toSourceRecord(r, rec);
                } catch (ConnectException e) {
                    if (out.isEmpty()) {
                        throw e;
                    }
                    failure = e; // hand over the records before it first; the next poll fails the task
                    return out;
                }
                if (sr == null) {
                    continue;
                }
                int size = rec.data().remaining();
                bytesLeft -= size;
                r.acks.handedOut(rec.lsn(), size);
                r.lastHanded = sr;
                r.lastHandedBatch = stamp;
                out.add(sr);
            }
        }
        if (n > 0) {
            nextLog = (nextLog + 1) % n;
        }
        return out;
    }

    /**
     * A segment of the sink's log ended (a restart area, or the end of a range): with
     * connector-defined boundaries, the transaction ends with the segment's last record.
     */
    private void segmentEnd(Replay r, long stamp) {
        if (transactions == null || r.lastHanded == null) {
            return;
        }
        if (r.lastHandedBatch == stamp) {
            transactions.commitTransaction(r.lastHanded);
        } else {
            transactions.commitTransaction(); // its last record went in an earlier batch
        }
    }

    /** The record to hand to Connect, or null when it is refused and skipped (errors.tolerance=all). */
    private SourceRecord toSourceRecord(Replay r, LogRecord rec) {
        String name = r.replayer.name();
        Envelope e;
        try {
            e = EnvelopeCodec.decode(rec.data());
        } catch (EnvelopeFormatException bad) {
            throw new ConnectException("log " + name + ": the record at LSN " + Lsn.toString(rec.lsn())
                    + " is not a sink envelope: " + bad.getMessage(), bad);
        }
        int size = builder.estimatedSize(e);
        int max = maxRecordBytes;
        if (max >= 0 && size > max) {
            String what = "log " + name + ": the record at LSN " + Lsn.toString(rec.lsn()) + " (" + e.topic() + "-"
                    + e.partition() + " offset " + e.offset() + ") takes " + size + " bytes in a Kafka request, more"
                    + " than " + ClfsSourceConfig.MAX_RECORD_BYTES + " (" + max + ")";
            if (tolerateAll) {
                log.warn("{}: skipped (errors.tolerance=all)", what);
                metrics.skipped();
                r.replayer.skipped(rec.lsn());
                return null;
            }
            throw new ConnectException(what + ": Kafka would refuse it. Raise " + ClfsSourceConfig.MAX_RECORD_BYTES
                    + " together with the producer's max.request.size and the replay topic's max.message.bytes, or set"
                    + " errors.tolerance=all to skip such records");
        }
        try {
            return builder.build(r.partition, rec.lsn(), e, r.acks);
        } catch (RuntimeException bad) {
            throw new ConnectException("log " + name + ": cannot rebuild the record at LSN " + Lsn.toString(rec.lsn())
                    + " (" + e.topic() + "-" + e.partition() + " offset " + e.offset() + "): " + bad.getMessage(), bad);
        }
    }

    /**
     * The committed offsets read back from Connect's offset store (see the class comment) once a
     * read is done, or null. Starts a read after a commit, at most every archive interval; a failed
     * read is retried later.
     */
    private Map<Map<String, String>, Map<String, Object>> committedIfRead(long now) {
        if (committedRead == null) {
            startReadIfDue(now);
        }
        if (committedRead == null || !committedRead.isDone()) {
            return null;
        }
        CompletableFuture<Map<Map<String, String>, Map<String, Object>>> done = committedRead;
        committedRead = null;
        try {
            return done.join();
        } catch (RuntimeException e) {
            if (!stopping) {
                log.warn("Cannot read the committed offsets back; archive tails move later: {}",
                        (e.getCause() != null ? e.getCause() : e).toString());
            }
            commitSeen.set(true);
            return null;
        }
    }

    private void startReadIfDue(long now) {
        List<Replay> logs = order;
        if (config.mode() != ClfsSourceConfig.Mode.ARCHIVE || logs.isEmpty() || !commitSeen.get()
                || now - lastArchiveMs < config.archiveIntervalMs() || stopping) {
            return;
        }
        commitSeen.set(false);
        lastArchiveMs = now;
        List<Map<String, String>> partitions = new ArrayList<>(logs.size());
        logs.forEach(r -> partitions.add(r.partition));
        try {
            committedRead = CompletableFuture.supplyAsync(() -> context.offsetStorageReader().offsets(partitions),
                    offsetReads);
        } catch (RejectedExecutionException stopped) {
            // stop() came between the check above and here: nothing is archived any more
        }
    }

    /** Moves each log's archive tail past what is both committed and acknowledged. */
    private void archive(Map<Map<String, String>, Map<String, Object>> committed) {
        for (Replay r : order) {
            long stored = SourceOffsets.lsnOf(committed.get(r.partition));
            long acked = r.acks.through();
            if (stored != Lsn.INVALID && acked != Lsn.INVALID) {
                r.replayer.archiveThrough(Lsn.min(stored, acked));
            }
        }
    }

    private void maybeUpdateLag(long now) {
        if (now - lastLagMs < LAG_INTERVAL_MS) {
            return;
        }
        lastLagMs = now;
        for (Replay r : order) {
            r.lag = r.replayer.lag();
        }
    }

    /** Kafka took the record ({@code metadata} set), or Connect dropped it on purpose (null). */
    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        if (!(record instanceof ReplayedRecord replayed)) {
            return; // not handed out by a task of this connector: nothing of ours to finish
        }
        int bytes = replayed.acks().finished(replayed.lsn());
        if (metadata != null) {
            metrics.replayed(Math.max(0, bytes));
        } else {
            metrics.skipped();
            log.warn("Log {}: the record at LSN {} ({} bytes) was not written to Kafka: skipped under"
                    + " errors.tolerance=all, or dropped by a transformation", record.sourcePartition().get(SourceOffsets.LOG),
                    Lsn.toString(replayed.lsn()), bytes);
        }
    }

    /** Connect committed offsets: the next poll reads them back and moves the archive tails. */
    @Override
    public void commit() {
        commitSeen.set(true);
    }

    @Override
    public void stop() {
        stopping = true;
        stopRequested.countDown();
        work.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (offsetReads instanceof ExecutorService own) {
                own.shutdownNow(); // a read under way is of no use any more
            }
            for (Replay r : order) {
                reportOutstanding(r);
                r.replayer.close();
            }
            if (metrics != null) {
                metrics.publishReplayed();
                metrics.close();
            }
        } finally {
            work.unlock();
        }
    }

    /**
     * Records handed out but never acknowledged: replayed again by the next task. When Kafka
     * refused one, the task failed on it, and this names it.
     */
    private static void reportOutstanding(Replay r) {
        int n = r.acks.outstanding();
        if (n > 0) {
            long first = r.acks.firstOutstanding();
            log.warn("Log {}: {} replayed record(s) not acknowledged by Kafka at stop, from LSN {} ({} envelope bytes);"
                    + " if the task failed on a record Kafka refused, it is this one. They are replayed again on restart",
                    r.replayer.name(), n, Lsn.toString(first), r.acks.sizeOf(first));
        }
    }

    /** For tests: the logs this task replays. */
    Map<String, LogReplayer> replayers() {
        Map<String, LogReplayer> m = new HashMap<>();
        order.forEach(r -> m.put(r.replayer.name(), r.replayer));
        return m;
    }
}

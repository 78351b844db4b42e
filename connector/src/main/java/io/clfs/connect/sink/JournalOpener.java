package io.clfs.connect.sink;

import io.clfs.log.ClfsException;
import io.clfs.log.DiskFullException;
import io.clfs.log.LogFullException;
import io.clfs.log.LogLockedException;
import io.clfs.log.OwnerFencedException;
import io.clfs.log.Lsn;
import io.clfs.log.io.FileIO;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * Opens the task's partition journals and seeks each partition to its log. A partition whose log
 * cannot be opened yet waits, paused ({@link WaitingOpens}), while the others go on: one whose log
 * cannot be created for want of space (under {@code clfs.log.full.behavior=block}), or one whose
 * log another writer holds, which is taken over once {@code clfs.log.open.timeout.ms} has passed
 * ({@link LogOpener}). A failure that ends the task goes through the task's {@code failed} (which
 * keeps it) before it is thrown. Used by the task thread only.
 */
final class JournalOpener {
    private static final Logger log = LoggerFactory.getLogger(JournalOpener.class);
    /** How often a partition whose log another writer holds tries again: a closing owner lets go within moments. */
    private static final long HOLDER_RETRY_MS = 100;

    private final FileIO io;
    /** Who opens the logs, as written beside their lock. */
    private final String owner;
    private final ClfsSinkConfig config;
    /** Monotonic milliseconds: see {@link PartitionJournal}. */
    private final LongSupplier intervalClock;
    private final SinkTaskContext context;
    private final SinkMetrics metrics;
    private final OriginTopics origins;
    private final UnaryOperator<ConnectException> failed;
    private final WaitingOpens waiting = new WaitingOpens();
    private volatile int waitingCount;

    JournalOpener(FileIO io, String owner, ClfsSinkConfig config, LongSupplier intervalClock, SinkTaskContext context,
                  SinkMetrics metrics, OriginTopics origins, UnaryOperator<ConnectException> failed) {
        this.io = io;
        this.owner = owner;
        this.config = config;
        this.intervalClock = intervalClock;
        this.context = context;
        this.metrics = metrics;
        this.origins = origins;
        this.failed = failed;
    }

    /** Opens (or creates) the partition's log and seeks to it; null when it must wait for space or its holder. */
    PartitionJournal open(TopicPartition tp, long now) {
        boolean takeOver = dueForTakeover(tp);
        return settle(tp, takeOver, LogIoPool.Outcome.of(() -> attempt(tp, now, takeOver)));
    }

    /**
     * Opens (or creates) the logs of {@code partitions} at once on {@code pool} (creating a log is
     * a few fsyncs, and a first assignment may create hundreds), then seeks each as {@link #open}
     * does, handing each journal opened to {@code opened}. A failure that ends the task is thrown
     * after every journal opened was handed over, so that the task closes them.
     */
    void openAll(List<TopicPartition> partitions, long now, LogIoPool pool, Consumer<PartitionJournal> opened) {
        List<Boolean> takeOver = new ArrayList<>(partitions.size());
        List<Callable<PartitionJournal>> jobs = new ArrayList<>(partitions.size());
        for (TopicPartition tp : partitions) {
            boolean due = dueForTakeover(tp);
            takeOver.add(due);
            jobs.add(() -> attempt(tp, now, due));
        }
        List<LogIoPool.Outcome<PartitionJournal>> outcomes = pool.runAll(jobs);
        RuntimeException first = null;
        for (int i = 0; i < partitions.size(); i++) {
            try {
                PartitionJournal j = settle(partitions.get(i), takeOver.get(i), outcomes.get(i));
                if (j != null) {
                    opened.accept(j);
                }
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private boolean dueForTakeover(TopicPartition tp) {
        long lockedSince = waiting.lockedSince(tp);
        return lockedSince >= 0 && intervalClock.getAsLong() - lockedSince >= config.openTimeoutMs();
    }

    /** The log I/O of an open, which touches nothing but the partition's own log: may run on any thread. */
    private PartitionJournal attempt(TopicPartition tp, long now, boolean takeOver) {
        return OriginCheck.follow(PartitionJournal.open(new LogOpener(io, owner, takeOver), tp, config, now,
                intervalClock, metrics::restartArea), origins.of(tp.topic()), logOpener(), config, now);
    }

    /** On the task thread: registers an opened journal and seeks to it, or makes its partition wait, or fails. */
    private PartitionJournal settle(TopicPartition tp, boolean takeOver, LogIoPool.Outcome<PartitionJournal> outcome) {
        PartitionJournal j;
        try {
            j = outcome.get();
        } catch (LogFullException full) {
            waitForSpace(tp, full);
            return null;
        } catch (LogLockedException locked) {
            if (takeOver) { // a holder in this process, never taken over: another connector on the same logs
                throw failed.apply(new ConnectException("log of " + tp + " is still held by another writer after "
                        + config.openTimeoutMs() + " ms (" + ClfsSinkConfig.OPEN_TIMEOUT_MS + ") and cannot be taken"
                        + " over: " + locked.getMessage(), locked));
            }
            waitForHolder(tp, locked);
            return null;
        } catch (OwnerFencedException raced) { // another writer opened it while this task did: as if held
            waitForHolder(tp, raced);
            return null;
        } catch (ClfsException e) {
            throw failed.apply(new ConnectException("cannot open the log of " + tp + ": " + e.getMessage(), e));
        }
        metrics.addPartition(j);
        if (j.log().takenOverFrom() != null) {
            metrics.takeover();
            log.warn("Took the log {} of {} over from a writer that still held it after {} ms ({}), and fenced it: {}",
                    j.log().dir(), tp, config.openTimeoutMs(), ClfsSinkConfig.OPEN_TIMEOUT_MS, j.log().takenOverFrom());
        }
        if (j.nextOffset() >= 0) {
            context.offset(tp, j.nextOffset());
        }
        log.info("Opened the log of {} at {}: {} records, last offset {}, last LSN {}; resuming at {}", tp,
                j.log().dir(), j.recordsJournaled(), j.lastJournaledOffset(), Lsn.toString(j.lastLsn()),
                j.nextOffset() >= 0 ? "offset " + j.nextOffset() : "the committed offset");
        return j;
    }

    /** An opener for the next generation of a partition's log, which no one holds yet. */
    LogOpener logOpener() {
        return new LogOpener(io, owner, false);
    }

    /** No space to create the partition's log: as for a full log, it waits paused ('block') or the task fails. */
    void waitForSpace(TopicPartition tp, LogFullException full) {
        if (config.logFullBehavior() == ClfsSinkConfig.LogFullBehavior.FAIL) {
            throw failed.apply(new ConnectException("cannot create the log of " + tp + " ("
                    + ClfsSinkConfig.LOG_FULL_BEHAVIOR + "=fail): " + full.getMessage(), full));
        }
        if (startWaiting(tp)) {
            metrics.fullPause(full instanceof DiskFullException);
            log.warn("Paused {}: its log cannot be created yet; retrying every {} ms ({}=block). {}", tp,
                    config.logFullRetryMs(), ClfsSinkConfig.LOG_FULL_BEHAVIOR, full.getMessage());
        }
        waiting.waitUntil(tp, intervalClock.getAsLong() + config.logFullRetryMs());
    }

    /** Another writer holds the partition's log: it waits, paused, for the holder to close it or to be taken over. */
    private void waitForHolder(TopicPartition tp, ClfsException locked) {
        long now = intervalClock.getAsLong();
        if (startWaiting(tp)) {
            log.info("Paused {}: {}. Retrying; taken over after {} ms ({})", tp, locked.getMessage(),
                    config.openTimeoutMs(), ClfsSinkConfig.OPEN_TIMEOUT_MS);
        }
        waiting.waitUntil(tp, now + HOLDER_RETRY_MS);
        waiting.locked(tp, now);
    }

    /** Pauses {@code tp} unless it waits already; returns whether it starts waiting now. */
    private boolean startWaiting(TopicPartition tp) {
        if (waiting.contains(tp)) {
            return false;
        }
        context.pause(tp);
        waitingCount++;
        return true;
    }

    /** Retries the opening of each waiting partition's log that is due; returns those opened, resumed. */
    List<PartitionJournal> retryDue(long now) {
        List<PartitionJournal> opened = new ArrayList<>();
        for (TopicPartition tp : waiting.due(intervalClock.getAsLong())) {
            PartitionJournal j = open(tp, now);
            if (j != null) {
                long arrived = waiting.firstArrived(tp);
                if (j.nextOffset() < 0 && arrived >= 0) {
                    context.offset(tp, arrived);
                }
                forget(tp);
                context.resume(tp);
                opened.add(j);
            }
        }
        return opened;
    }

    boolean waits(TopicPartition tp) {
        return waiting.contains(tp);
    }

    /** A record of a waiting partition arrived: returns the offset its consumer must go back to. */
    long arrived(TopicPartition tp, long offset) {
        return waiting.arrived(tp, offset);
    }

    /** Milliseconds until the next retry; Long.MAX_VALUE when none waits. */
    long millisUntilDue() {
        return waiting.millisUntilDue(intervalClock.getAsLong());
    }

    /** Stops waiting for {@code tp}; returns true when it was waiting (and is still paused). */
    boolean forget(TopicPartition tp) {
        if (!waiting.remove(tp)) {
            return false;
        }
        waitingCount--;
        return true;
    }

    /** Partitions paused now because they wait. */
    int waitingCount() {
        return waitingCount;
    }
}

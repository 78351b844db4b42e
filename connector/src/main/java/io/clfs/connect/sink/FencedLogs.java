package io.clfs.connect.sink;

import io.clfs.log.OwnerFencedException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;

/**
 * Partitions whose log another writer took over while this task still had it open: this worker was
 * stalled past the session timeout and {@code clfs.log.open.timeout.ms} (a stopped process that
 * resumed), Kafka's group gave the partition to another task, and that task fenced this one
 * ({@link LogOpener}). Such a partition is given up, never failed: its log is closed without
 * another write, no offset is reported for it again, and records that still arrive for it are
 * dropped unjournaled until Connect closes it. An exception would be worse either way: from
 * {@code put} or {@code close} Connect fails the task, from {@code preCommit} it rewinds every
 * partition of the task. Used by the task thread only.
 */
final class FencedLogs {
    private static final Logger log = LoggerFactory.getLogger(FencedLogs.class);

    private final SinkMetrics metrics;
    private final Set<TopicPartition> givenUp = new HashSet<>();

    FencedLogs(SinkMetrics metrics) {
        this.metrics = metrics;
    }

    /** Whether {@code error}, from the log of {@code j} (null: none yet), means another writer took the log over. */
    static boolean takenOver(PartitionJournal j, Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof OwnerFencedException) {
                return true;
            }
        }
        return !j.log().stillOwner();
    }

    /** Closes the log of {@code j}, which another writer took over, without writing to it again, and says so. */
    void close(PartitionJournal j, Throwable error) {
        try {
            j.log().close();
        } catch (RuntimeException alreadyFailed) {
            log.debug("Closing the fenced log {} failed", j.log().dir(), alreadyFailed);
        }
        metrics.fenced();
        log.warn("Gave up {}: another writer took its log {} over while this task held it (this worker was stalled"
                        + " longer than the session timeout and {}). Nothing more is journaled or committed for it here;"
                        + " its records past offset {} are the new owner's{}", j.partition(), j.log().dir(),
                ClfsSinkConfig.OPEN_TIMEOUT_MS, j.lastJournaledOffset(), error == null ? "" : ". " + error.getMessage());
    }

    /** As {@link #close}, for a partition still assigned: records that arrive for it are dropped until it is closed. */
    void giveUp(PartitionJournal j, Throwable error) {
        close(j, error);
        givenUp.add(j.partition());
    }

    boolean contains(TopicPartition tp) {
        return givenUp.contains(tp);
    }

    /** Returns true when {@code tp} had been given up. */
    boolean remove(TopicPartition tp) {
        return givenUp.remove(tp);
    }
}

package io.clfs.connect.sink;

import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Partitions whose log cannot be opened yet, each waiting, paused, until its retry is due: a log
 * that could not be created because the file system was full (under
 * {@code clfs.log.full.behavior=block}), or a log that another writer holds (see {@link LogOpener}:
 * {@link #lockedSince} tells when the wait for the holder began). A record that still arrives for
 * one is not journaled; the lowest such offset is where its consumer resumes. Used by the task
 * thread only.
 */
final class WaitingOpens {
    private static final class Waiting {
        long retryAtMs;
        long firstArrived = -1;
        long lockedSinceMs = -1;

        Waiting(long retryAtMs) {
            this.retryAtMs = retryAtMs;
        }
    }

    private final Map<TopicPartition, Waiting> waiting = new HashMap<>();

    /** Starts waiting, or, for a partition that waits already, sets its next retry. */
    void waitUntil(TopicPartition tp, long retryAtMs) {
        waiting.computeIfAbsent(tp, t -> new Waiting(retryAtMs)).retryAtMs = retryAtMs;
    }

    /** The log of {@code tp}, which waits, was found held by another writer at {@code nowMs}. */
    void locked(TopicPartition tp, long nowMs) {
        Waiting w = waiting.get(tp);
        if (w.lockedSinceMs < 0) {
            w.lockedSinceMs = nowMs;
        }
    }

    /** Since when the log of {@code tp} has been found held by another writer; -1 when it has not. */
    long lockedSince(TopicPartition tp) {
        Waiting w = waiting.get(tp);
        return w == null ? -1 : w.lockedSinceMs;
    }

    boolean contains(TopicPartition tp) {
        return waiting.containsKey(tp);
    }

    /** A record of a waiting partition arrived: returns the offset its consumer must go back to. */
    long arrived(TopicPartition tp, long offset) {
        Waiting w = waiting.get(tp);
        if (w.firstArrived < 0 || offset < w.firstArrived) {
            w.firstArrived = offset;
        }
        return w.firstArrived;
    }

    /** The lowest offset that arrived while {@code tp} waited, or -1. */
    long firstArrived(TopicPartition tp) {
        return waiting.get(tp).firstArrived;
    }

    /** The waiting partitions whose retry is due. */
    List<TopicPartition> due(long nowMs) {
        List<TopicPartition> due = new ArrayList<>();
        waiting.forEach((tp, w) -> {
            if (nowMs >= w.retryAtMs) {
                due.add(tp);
            }
        });
        return due;
    }

    /** Milliseconds until the next retry; Long.MAX_VALUE when none waits. */
    long millisUntilDue(long nowMs) {
        long due = Long.MAX_VALUE;
        for (Waiting w : waiting.values()) {
            due = Math.min(due, Math.max(0, w.retryAtMs - nowMs));
        }
        return due;
    }

    /** Returns true when {@code tp} was waiting. */
    boolean remove(TopicPartition tp) {
        return waiting.remove(tp) != null;
    }
}

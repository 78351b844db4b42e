package io.clfs.connect.sink;

import org.apache.kafka.connect.errors.ConnectException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Makes many partition logs durable at once, on the task's {@link LogIoPool}: N dirty partitions
 * cost about one fsync latency rather than N. Used by the task thread only.
 */
final class GroupFlusher {
    private final LogIoPool pool;

    GroupFlusher(LogIoPool pool) {
        this.pool = pool;
    }

    /**
     * Flushes every journal. Returns those whose log another writer took over (see
     * {@link FencedLogs}), with the error; throws the first other failure (after all have finished)
     * naming its partition. Marks the rest flushed only when none failed otherwise.
     */
    Map<PartitionJournal, Throwable> flushAll(List<PartitionJournal> journals) {
        Map<PartitionJournal, Throwable> fenced = new HashMap<>();
        List<Callable<Void>> jobs = new ArrayList<>(journals.size());
        for (PartitionJournal j : journals) {
            jobs.add(() -> {
                j.flush();
                return null;
            });
        }
        List<LogIoPool.Outcome<Void>> outcomes = pool.runAll(jobs);
        if (Thread.currentThread().isInterrupted()) {
            throw new ConnectException("interrupted while flushing partition logs");
        }
        ConnectException failure = null;
        for (int i = 0; i < outcomes.size(); i++) {
            Throwable error = outcomes.get(i).error();
            if (error != null) {
                failure = sort(journals.get(i), error, fenced, failure);
            }
        }
        if (failure != null) {
            throw failure;
        }
        journals.stream().filter(j -> !fenced.containsKey(j)).forEach(PartitionJournal::markFlushed);
        return fenced;
    }

    /** Files the failed flush of {@code j} among the fenced, or returns the failure to throw (the first). */
    private static ConnectException sort(PartitionJournal j, Throwable cause, Map<PartitionJournal, Throwable> fenced,
                                         ConnectException first) {
        if (FencedLogs.takenOver(j, cause)) {
            fenced.put(j, cause);
            return first;
        }
        return first != null ? first : failed(j, cause);
    }

    private static ConnectException failed(PartitionJournal j, Throwable cause) {
        return new ConnectException("cannot make the log of " + j.partition() + " durable (" + j.log().dir() + "): "
                + cause.getMessage(), cause);
    }
}

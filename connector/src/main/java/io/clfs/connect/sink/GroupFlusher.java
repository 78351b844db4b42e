package io.clfs.connect.sink;

import org.apache.kafka.connect.errors.ConnectException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes many partition logs durable at once. Each log has its own files, so their fsyncs can run
 * in parallel: N dirty partitions cost about one fsync latency rather than N. The caller's thread
 * flushes one log itself.
 */
final class GroupFlusher implements AutoCloseable {
    private final ExecutorService pool;

    GroupFlusher(int threads, String name) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor tpe = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name + "-flush-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        tpe.allowCoreThreadTimeOut(true);
        this.pool = tpe;
    }

    /**
     * Flushes every journal. Returns those whose log another writer took over (see
     * {@link FencedLogs}), with the error; throws the first other failure (after all have finished)
     * naming its partition. Marks the rest flushed only when none failed otherwise.
     */
    Map<PartitionJournal, Throwable> flushAll(List<PartitionJournal> journals) {
        Map<PartitionJournal, Throwable> fenced = new HashMap<>();
        if (journals.isEmpty()) {
            return fenced;
        }
        List<Future<?>> futures = new ArrayList<>(journals.size() - 1);
        for (int i = 1; i < journals.size(); i++) {
            futures.add(pool.submit(journals.get(i)::flush));
        }
        ConnectException failure = null;
        try {
            journals.get(0).flush();
        } catch (RuntimeException e) {
            failure = sort(journals.get(0), e, fenced, failure);
        }
        for (int i = 0; i < futures.size(); i++) {
            try {
                futures.get(i).get();
            } catch (ExecutionException e) {
                failure = sort(journals.get(i + 1), e.getCause(), fenced, failure);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException("interrupted while flushing partition logs", e);
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

    @Override
    public void close() {
        pool.shutdownNow();
    }
}

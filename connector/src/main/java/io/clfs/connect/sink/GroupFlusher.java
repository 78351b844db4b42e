package io.clfs.connect.sink;

import org.apache.kafka.connect.errors.ConnectException;

import java.util.ArrayList;
import java.util.List;
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

    /** Flushes every journal; throws the first failure (after all have finished) naming its partition. */
    void flushAll(List<PartitionJournal> journals) {
        if (journals.isEmpty()) {
            return;
        }
        List<Future<?>> futures = new ArrayList<>(journals.size() - 1);
        for (int i = 1; i < journals.size(); i++) {
            futures.add(pool.submit(journals.get(i)::flush));
        }
        RuntimeException failure = null;
        try {
            journals.get(0).flush();
        } catch (RuntimeException e) {
            failure = failed(journals.get(0), e);
        }
        for (int i = 0; i < futures.size(); i++) {
            try {
                futures.get(i).get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = failed(journals.get(i + 1), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException("interrupted while flushing partition logs", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        journals.forEach(PartitionJournal::markFlushed);
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

package io.clfs.connect.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The task's threads for per-partition log I/O. Each partition's log has its own files, so the
 * fsyncs of many logs (flushing them, creating them) can run at once, and the file system commits
 * concurrent syncs together: N logs cost about one sync latency each round rather than N. The
 * caller's thread runs the first job itself. Thread-safe: the executor guards its queue; a job
 * must touch only its own partition's log.
 */
final class LogIoPool implements AutoCloseable {
    private final ExecutorService pool;

    LogIoPool(int threads, String name) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor tpe = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name + "-log-io-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        tpe.allowCoreThreadTimeOut(true);
        this.pool = tpe;
    }

    /**
     * Runs every job and returns their outcomes in order, once all have finished: a job that
     * opened a log must not be left running, or its log would stay held with no one to close it.
     * An interrupt does not cut the wait short; the thread's interrupt flag is set again after.
     */
    <T> List<Outcome<T>> runAll(List<Callable<T>> jobs) {
        List<Outcome<T>> outcomes = new ArrayList<>(jobs.size());
        if (jobs.isEmpty()) {
            return outcomes;
        }
        List<Future<T>> futures = new ArrayList<>(jobs.size() - 1);
        for (int i = 1; i < jobs.size(); i++) {
            futures.add(pool.submit(jobs.get(i)));
        }
        outcomes.add(Outcome.of(jobs.get(0)));
        boolean interrupted = false;
        for (Future<T> f : futures) {
            while (true) {
                try {
                    outcomes.add(new Outcome<>(f.get(), null));
                    break;
                } catch (ExecutionException e) {
                    outcomes.add(new Outcome<>(null, e.getCause()));
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return outcomes;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** What a job returned, or what it threw. */
    record Outcome<T>(T value, Throwable error) {
        static <T> Outcome<T> of(Callable<T> job) {
            try {
                return new Outcome<>(job.call(), null);
            } catch (Exception | Error e) {
                return new Outcome<>(null, e);
            }
        }

        /** The value, or the job's own exception thrown again (jobs throw only unchecked ones). */
        T get() {
            if (error instanceof RuntimeException e) {
                throw e;
            }
            if (error instanceof Error e) {
                throw e;
            }
            if (error != null) {
                throw new IllegalStateException(error);
            }
            return value;
        }
    }
}

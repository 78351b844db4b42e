package io.clfs.connect.source;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Looks at the log directory every discovery interval and calls {@code onChange} when the set of
 * logs differs from the one the tasks were last configured with. Polling, not a file-system
 * watch service: the directory may be on shared storage, where change events are not delivered.
 */
final class LogDirectoryWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogDirectoryWatcher.class);

    private final LogDirectory directory;
    private final Supplier<List<String>> assigned;
    private final Runnable onChange;
    private final long intervalMs;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;

    /**
     * @param assigned the logs the tasks were last configured with
     * @param onChange asks Connect for new task configurations
     */
    LogDirectoryWatcher(LogDirectory directory, Supplier<List<String>> assigned, Runnable onChange, long intervalMs,
                        String name) {
        this.directory = directory;
        this.assigned = assigned;
        this.onChange = onChange;
        this.intervalMs = intervalMs;
        this.thread = new Thread(this::run, "clfs-source-watcher-" + name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            while (!stop.await(intervalMs, TimeUnit.MILLISECONDS)) {
                checkOnce();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One look: true when the logs changed and reconfiguration was requested. */
    boolean checkOnce() {
        try {
            List<String> now = directory.list();
            List<String> before = assigned.get();
            if (before != null && !now.equals(before)) {
                log.info("Logs in {} changed from {} to {}: requesting task reconfiguration", directory.root(), before,
                        now);
                onChange.run();
                return true;
            }
        } catch (RuntimeException e) {
            // A transient listing error (shared storage) must not stop discovery: the next look retries.
            log.warn("Cannot look for new logs in {}: {}", directory.root(), e.toString());
        }
        return false;
    }

    @Override
    public void close() {
        stop.countDown();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

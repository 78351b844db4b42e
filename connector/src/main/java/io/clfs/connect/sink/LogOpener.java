package io.clfs.connect.sink;

import io.clfs.log.ClfsException;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogKind;
import io.clfs.log.LogLockedException;
import io.clfs.log.LogPolicy;
import io.clfs.log.io.FileIO;
import org.apache.kafka.connect.errors.ConnectException;

import java.nio.file.Path;

/**
 * Opens a partition's log as its one writer, creating it on first use. When a partition moves
 * between tasks, its previous owner may still be closing the log: the lock is retried until the
 * open timeout, then the task fails naming the log.
 */
final class LogOpener {
    private static final long RETRY_MS = 100;

    private LogOpener() {
    }

    static ClfsLog openOrCreate(FileIO io, Path dir, LogPolicy policy, boolean archive, long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        for (;;) {
            try {
                if (!ClfsLog.exists(dir)) {
                    try {
                        return ClfsLog.create(io, dir, LogKind.DEDICATED, archive, policy);
                    } catch (LogLockedException e) {
                        throw e;
                    } catch (ClfsException e) {
                        if (!ClfsLog.exists(dir)) {
                            throw e;
                        }
                        // another writer created it first: open it as usual
                    }
                }
                return ClfsLog.open(io, dir);
            } catch (LogLockedException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new ConnectException("log " + dir + " is still held by another writer after "
                            + timeoutMs + " ms (" + ClfsSinkConfig.OPEN_TIMEOUT_MS + "): " + e.getMessage(), e);
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while waiting for a log held by another writer", e);
        }
    }
}

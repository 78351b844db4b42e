package io.clfs.log.io;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** A lock file taken and released many times, as {@link FileIO#lock(java.nio.file.Path, boolean)} takes it once. */
public interface LockFile extends Closeable {
    /** How long a bounded wait pauses between two tries: a lock is held for one metadata write, milliseconds. */
    long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** Waits for the exclusive lock; closing the handle releases it. */
    LockHandle acquire() throws IOException;

    /**
     * Waits up to {@code timeoutMs} for the lock, then takes it over from its holder
     * ({@link FileIO#lockReplacing}): a process that stopped while it held the lock would otherwise
     * keep every other waiter out for as long as it is stopped. Waits on without bound for a holder
     * in this process, which is not stalled.
     */
    LockHandle acquireOrTakeOver(long timeoutMs) throws IOException;

    /** Releases the file; no hold may be open. */
    @Override
    void close() throws IOException;

    /** The pause between two tries of a bounded wait. */
    static void pause() {
        LockSupport.parkNanos(RETRY_NANOS);
    }
}

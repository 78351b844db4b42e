package io.clfs.log.engine;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Who may use the container and metadata files for a write: a flush leader, a container switch, or
 * a metadata update. One owner at a time; appends keep filling the open block meanwhile, and a
 * flush leader writes with the log's lock released.
 *
 * <p>Every method runs with the log's lock ({@link LogCore#lock}) held; waiting releases it.
 */
public final class FileOwnership {
    private final Condition released;
    private boolean owned;

    FileOwnership(ReentrantLock lock) {
        this.released = lock.newCondition();
    }

    /** Waits until no one owns the files, then owns them. */
    void acquire() {
        while (owned) {
            released.awaitUninterruptibly();
        }
        owned = true;
    }

    /** Owns the files if no one does; false (and nothing changes) otherwise. */
    boolean tryAcquire() {
        if (owned) {
            return false;
        }
        owned = true;
        return true;
    }

    /** Waits once for the owner to release (the caller checks again: wake-ups may be spurious). */
    void awaitRelease() {
        released.awaitUninterruptibly();
    }

    void release() {
        owned = false;
        released.signalAll();
    }

    /**
     * Runs {@code call} (client code, such as a tail-push callback) with the files lent out: it may
     * own them in turn, for example to move a tail. The log's lock stays held by this thread, so no
     * other thread can take them meanwhile; ownership is back with the caller afterwards.
     */
    void lendWhile(Runnable call) {
        owned = false;
        try {
            call.run();
        } finally {
            owned = true;
        }
    }
}

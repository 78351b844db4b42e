package io.clfs.bench;

import io.clfs.log.LogStream;
import io.clfs.log.Lsn;

/**
 * Keeps a benchmark log recycling its containers: once a durable record lies in a newer container
 * than the tails, both tails move to it. At most the current and the previous container stay
 * pinned, so a small ring of containers never fills, and the tail moves (one metadata write for
 * both) come about once per container, as they would for a client that checkpoints per container.
 */
final class TailMover {
    private final LogStream stream;
    private volatile long tailContainer;

    TailMover(LogStream stream) {
        this.stream = stream;
        this.tailContainer = Lsn.container(stream.baseLsn());
    }

    /** {@code durableLsn} must be a durable record of the stream (flushed or forced). */
    void flushed(long durableLsn) {
        if (Lsn.container(durableLsn) <= tailContainer) {
            return; // the common case, without the lock
        }
        synchronized (this) {
            // Another thread may have moved the tails past this record meanwhile: they only go forward.
            if (Lsn.container(durableLsn) > tailContainer && Lsn.less(stream.baseLsn(), durableLsn)) {
                stream.moveTails(durableLsn, durableLsn);
                tailContainer = Lsn.container(durableLsn);
            }
        }
    }
}

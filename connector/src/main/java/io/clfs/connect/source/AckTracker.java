package io.clfs.connect.source;

import io.clfs.log.Lsn;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which of one log's replayed records Connect has finished with ({@code commitRecord}: written
 * by Kafka, or dropped on purpose), as the highest LSN below which every record handed out is
 * finished. Records can finish out of order (different replay partitions), so finished LSNs wait
 * in a set until the ones before them finish. Called from the task thread and the producer's
 * thread.
 */
final class AckTracker {
    private final ArrayDeque<Long> pending = new ArrayDeque<>();
    private final Map<Long, Integer> sizes = new HashMap<>();
    private final Set<Long> finished = new HashSet<>();
    private long through;

    /** @param through the LSN everything up to which was finished before this task started, or INVALID */
    AckTracker(long through) {
        this.through = through;
    }

    /** A record of {@code bytes} envelope bytes handed to Connect; LSNs come in increasing order. */
    synchronized void handedOut(long lsn, int bytes) {
        pending.addLast(lsn);
        sizes.put(lsn, bytes);
    }

    /** Returns the record's envelope bytes, or -1 for a record not handed out by this tracker. */
    synchronized int finished(long lsn) {
        Integer bytes = sizes.remove(lsn);
        if (bytes == null) {
            return -1;
        }
        finished.add(lsn);
        while (!pending.isEmpty() && finished.remove(pending.peekFirst())) {
            through = pending.pollFirst();
        }
        return bytes;
    }

    /** Every handed-out record up to this LSN is finished; INVALID when none is known to be. */
    synchronized long through() {
        return through;
    }

    synchronized int outstanding() {
        return sizes.size();
    }

    /** The oldest record handed out and not finished, or INVALID. */
    synchronized long firstOutstanding() {
        for (Long lsn : pending) {
            if (sizes.containsKey(lsn)) {
                return lsn;
            }
        }
        return Lsn.INVALID;
    }

    synchronized int sizeOf(long lsn) {
        return sizes.getOrDefault(lsn, -1);
    }
}

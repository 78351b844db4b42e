package io.clfs.connect.source;

import io.clfs.log.Lsn;

/**
 * Which of one log's replayed records Connect has finished with ({@code commitRecord}: written
 * by Kafka, or dropped on purpose), as the highest LSN below which every record handed out is
 * finished. Records can finish out of order (different replay partitions), so finished records
 * stay in the window until the ones before them finish.
 *
 * <p>The window is a ring of primitive arrays in LSN order (records are handed out in increasing
 * LSN order), searched by binary search: a replay hands out every record through here, and boxed
 * LSNs in hash sets cost more than the rest of the bookkeeping. Called from the task thread and
 * the producer's thread; every method is synchronized on the tracker.
 */
final class AckTracker {
    private static final int INITIAL_CAPACITY = 1024;

    private long[] lsns = new long[INITIAL_CAPACITY];
    private int[] sizes = new int[INITIAL_CAPACITY];
    private boolean[] done = new boolean[INITIAL_CAPACITY];
    /** Ring index of the oldest record in the window (never a finished one), and the window's length. */
    private int head;
    private int count;
    private int finishedInWindow;
    private long through;

    /** @param through the LSN everything up to which was finished before this task started, or INVALID */
    AckTracker(long through) {
        this.through = through;
    }

    /** A record of {@code bytes} envelope bytes handed to Connect; LSNs come in increasing order. */
    synchronized void handedOut(long lsn, int bytes) {
        if (count == lsns.length) {
            grow();
        }
        int i = slot(count++);
        lsns[i] = lsn;
        sizes[i] = bytes;
        done[i] = false;
    }

    /** Returns the record's envelope bytes, or -1 for a record not handed out by this tracker (or already finished). */
    synchronized int finished(long lsn) {
        int i = find(lsn);
        if (i < 0 || done[i]) {
            return -1;
        }
        done[i] = true;
        finishedInWindow++;
        while (count > 0 && done[head]) {
            through = lsns[head];
            head = slot(1);
            count--;
            finishedInWindow--;
        }
        return sizes[i];
    }

    /** Every handed-out record up to this LSN is finished; INVALID when none is known to be. */
    synchronized long through() {
        return through;
    }

    synchronized int outstanding() {
        return count - finishedInWindow;
    }

    /** The oldest record handed out and not finished, or INVALID. */
    synchronized long firstOutstanding() {
        return count == 0 ? Lsn.INVALID : lsns[head];
    }

    synchronized int sizeOf(long lsn) {
        int i = find(lsn);
        return i < 0 || done[i] ? -1 : sizes[i];
    }

    /**
     * The ring index of {@code lsn} in the window, or -1. A log's records go to one replay partition
     * in the usual case, so they finish in order: the oldest unfinished record is tried first.
     */
    private int find(long lsn) {
        if (count > 0 && lsns[head] == lsn) {
            return head;
        }
        int low = 0;
        int high = count - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = Lsn.compare(lsns[slot(mid)], lsn);
            if (c == 0) {
                return slot(mid);
            }
            if (c < 0) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return -1;
    }

    private int slot(int fromHead) {
        return (head + fromHead) % lsns.length;
    }

    private void grow() {
        int n = lsns.length * 2;
        long[] l = new long[n];
        int[] s = new int[n];
        boolean[] d = new boolean[n];
        for (int k = 0; k < count; k++) {
            int i = slot(k);
            l[k] = lsns[i];
            s[k] = sizes[i];
            d[k] = done[i];
        }
        lsns = l;
        sizes = s;
        done = d;
        head = 0;
    }
}

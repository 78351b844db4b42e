package io.clfs.connect.sink;

import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.log.LogRecord;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import io.clfs.log.RecordType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A partition log's restart areas at or above its base, oldest first, and where the base-LSN
 * policy may move the base among them. Used only by the thread that owns its
 * {@link PartitionJournal}; no lock.
 */
final class RestartChain {
    private final LogStream stream;
    private final RetentionPolicy retention;
    private final Deque<RetentionPolicy.Point> points = new ArrayDeque<>();

    RestartChain(LogStream stream, RetentionPolicy retention) {
        this.stream = stream;
        this.retention = retention;
    }

    /**
     * Loads the chain from the newest restart area back to the base. The engine refuses a record
     * whose previous link does not point below it, so the walk descends and ends.
     */
    void load(LogRecord newest) {
        long base = stream.baseLsn();
        List<RetentionPolicy.Point> newestFirst = new ArrayList<>();
        for (LogRecord r = newest; ; ) {
            SinkRestartArea ra = SinkRestartArea.decode(r.data());
            newestFirst.add(new RetentionPolicy.Point(r.lsn(), ra.bytesJournaled(), ra.maxTimestamp()));
            long previous = r.previous();
            if (previous == Lsn.INVALID || Lsn.less(previous, base)) {
                break;
            }
            r = stream.read(previous);
            if (r.type() != RecordType.RESTART) {
                break;
            }
        }
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            points.addLast(newestFirst.get(i));
        }
    }

    /** Adds the restart area just written at {@code lsn}, and forgets those the base has passed. */
    void add(long lsn, long bytesJournaled, long maxTimestamp) {
        points.addLast(new RetentionPolicy.Point(lsn, bytesJournaled, maxTimestamp));
        prune();
    }

    /** The LSN the policy would move the base to now, given the bytes journaled so far. */
    long retentionTarget(long bytesJournaled, long nowMs) {
        long base = stream.baseLsn();
        RetentionPolicy.Point first = points.peekFirst();
        long baseBytes = first != null && first.lsn() == base ? first.bytesJournaled() : 0;
        return retention.target(List.copyOf(points), baseBytes, bytesJournaled, nowMs);
    }

    /** Forgets the restart areas below the base, keeping at least one. */
    void prune() {
        long base = stream.baseLsn();
        while (points.size() > 1 && Lsn.less(points.peekFirst().lsn(), base)) {
            points.removeFirst();
        }
    }
}

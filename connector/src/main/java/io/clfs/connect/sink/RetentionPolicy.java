package io.clfs.connect.sink;

import io.clfs.log.Lsn;

import java.util.List;

/**
 * The base-LSN policy. The base moves in restart-area steps: a restart record can become the base
 * because its restart area carries the totals up to it, so no data record has to be read to
 * decide. By time, the newest restart area whose journaled timestamps are all older than the
 * retention qualifies. By size, when more than the retention is kept above the base, the oldest
 * restart area after which the retention still fits qualifies (or the newest, when none fits).
 * The target is the later of the two.
 */
final class RetentionPolicy {
    /** A restart area as the policy sees it: where it is and the totals when it was written. */
    record Point(long lsn, long bytesJournaled, long maxTimestamp) {
    }

    private final long retentionMs;
    private final long retentionBytes;

    RetentionPolicy(long retentionMs, long retentionBytes) {
        this.retentionMs = retentionMs;
        this.retentionBytes = retentionBytes;
    }

    /**
     * The LSN the base should move to, or {@link Lsn#NULL} when nothing may be released.
     *
     * @param points    restart areas at or above the current base, oldest first
     * @param baseBytes envelope bytes journaled before the current base
     * @param bytesNow  envelope bytes journaled so far
     */
    long target(List<Point> points, long baseBytes, long bytesNow, long nowMs) {
        return Lsn.max(byTime(points, nowMs), bySize(points, baseBytes, bytesNow));
    }

    private long byTime(List<Point> points, long nowMs) {
        long target = Lsn.NULL;
        if (retentionMs >= 0) {
            for (Point p : points) {
                if (p.maxTimestamp() < nowMs - retentionMs) {
                    target = p.lsn();
                }
            }
        }
        return target;
    }

    private long bySize(List<Point> points, long baseBytes, long bytesNow) {
        if (retentionBytes < 0 || bytesNow - baseBytes <= retentionBytes || points.isEmpty()) {
            return Lsn.NULL;
        }
        for (Point p : points) {
            if (bytesNow - p.bytesJournaled() <= retentionBytes) {
                return p.lsn();
            }
        }
        return points.get(points.size() - 1).lsn();
    }
}

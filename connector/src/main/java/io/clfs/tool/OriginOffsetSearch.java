package io.clfs.tool;

/**
 * Finds, in one partition of a replay topic, the first record of one origin partition whose origin
 * offset is at or after a given one. The replay writes a log in LSN order, which is its origin
 * offset order, so within one replay partition the records of one origin partition have rising
 * origin offsets (records of other origin partitions may sit between them): a binary search over
 * the replay partition's offsets finds it with O(log n) probes, never a full scan.
 */
final class OriginOffsetSearch {
    /** Reads the replay partition for the search. */
    interface Probe {
        /**
         * @return the first record of the origin partition at an offset in [{@code from}, {@code before}), or null
         *         when there is none
         */
        Probed first(long from, long before);
    }

    /** A record of the origin partition: its offset in the replay partition and its {@code clfs.origin.offset}. */
    record Probed(long offset, long originOffset) {
    }

    private OriginOffsetSearch() {
    }

    /**
     * @param begin the replay partition's first offset
     * @param end   its end offset (the next offset to be written)
     * @return the offset of the first record of the origin partition with origin offset {@code >= committed}, or
     *         {@code end} when there is none
     */
    static long find(Probe probe, long begin, long end, long committed) {
        long lo = begin; // every record of the origin partition below lo has an origin offset below committed
        long hi = end; // every one at or above hi has one at or above it
        long first = end;
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            Probed r = probe.first(mid, hi);
            if (r == null) {
                hi = mid;
            } else if (r.originOffset() >= committed) {
                hi = mid; // nothing of the origin partition in [mid, r): r is the first at or above mid
                first = r.offset();
            } else {
                lo = r.offset() + 1;
            }
        }
        return first;
    }
}

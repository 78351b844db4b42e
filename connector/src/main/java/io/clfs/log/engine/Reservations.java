package io.clfs.log.engine;

import io.clfs.log.LogFullException;
import io.clfs.log.ReservationExceededException;
import io.clfs.log.format.Layout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Space promised to records not yet appended: the grants, their total, and the arithmetic of what
 * can still be guaranteed. A reservation must survive the worst case, where each reserved record
 * starts a block and no container's end can hold the largest of them.
 *
 * <p>Guarded by {@link LogCore#lock}: callers hold it. A {@link Grant}'s own count is also read
 * without it (by its owner), so it synchronizes on itself. Never touches a file; the space
 * figures it reasons about come from {@link SpaceManager}.
 */
public final class Reservations {
    /** Worst-case block framing one reserved record may need: a block header and sector padding. */
    public static final long RESERVED_FRAMING = Layout.BLOCK_HEADER_SIZE + Layout.SECTOR;

    private final Path dir;
    private final long usableContainerBytes;
    private final List<Grant> grants = new ArrayList<>();
    private long total;

    /** One reservation's remaining bytes. */
    public static final class Grant {
        private final String stream;
        private final long largestRecord;
        private long remaining;

        Grant(String stream, long bytes, long largestRecord) {
            this.stream = stream;
            this.remaining = bytes;
            this.largestRecord = largestRecord;
        }

        public synchronized long remaining() {
            return remaining;
        }

        synchronized void consume(long bytes) {
            if (bytes > remaining) {
                throw new ReservationExceededException("append of " + bytes + " bytes (framing included) exceeds the "
                        + remaining + " bytes left in the reservation on stream '" + stream + "'");
            }
            remaining -= bytes;
        }

        synchronized long takeRemaining() {
            long r = remaining;
            remaining = 0;
            return r;
        }
    }

    public Reservations(Path dir, long usableContainerBytes) {
        this.dir = dir;
        this.usableContainerBytes = usableContainerBytes;
    }

    /**
     * The exact worst-case space records of these payload sizes take: each record's header and
     * alignment, and the block framing a record may need when it starts a block.
     */
    public static long spaceFor(int... payloadSizes) {
        long total = 0;
        for (int size : payloadSizes) {
            if (size < 0) {
                throw new IllegalArgumentException("negative record size " + size);
            }
            total += recordCost(size);
        }
        return total;
    }

    /** What one reserved record of {@code payload} bytes costs. */
    static long recordCost(int payload) {
        return Layout.recordSpace(payload) + RESERVED_FRAMING;
    }

    /** Bytes reserved and not yet used. */
    public long total() {
        return total;
    }

    /**
     * Reserves {@code bytes} for {@code s}, records of at most {@code largest} bytes each, when the
     * space left ({@code activeRoom} in the active container, {@code spare} whole containers) can
     * guarantee it beside what is already reserved.
     */
    Grant reserve(StreamState s, long bytes, long largest, long activeRoom, long spare) {
        long capacity = capacity(activeRoom, spare, largestReserved(largest));
        if (capacity < total + bytes) {
            throw new LogFullException("log full: " + dir + ": cannot reserve " + bytes + " bytes beside "
                    + total + " already reserved; at most " + capacity + " can be guaranteed");
        }
        Grant g = new Grant(s.name, bytes, largest);
        grants.add(g);
        total += bytes;
        s.reservedBytes += bytes;
        return g;
    }

    /** An append of {@code cost} bytes takes them from its grant. */
    void consume(StreamState s, Grant g, long cost) {
        g.consume(cost);
        total -= cost;
        s.reservedBytes -= cost;
    }

    /** Gives back what is left of a grant; a second release does nothing. */
    void release(StreamState s, Grant g) {
        if (grants.remove(g)) {
            long left = g.takeRemaining();
            total -= left;
            s.reservedBytes -= left;
        }
    }

    /**
     * Whether an unreserved append of {@code cost} bytes leaves enough to keep every reservation:
     * it takes from the active container's {@code activeRoom} or, when it does not fit there, from
     * one of the {@code spare} containers.
     */
    boolean leavesRoom(long cost, long activeRoom, long spare) {
        long room = activeRoom;
        long left = spare;
        if (cost <= room) {
            room -= cost;
        } else {
            left -= 1;
            room = usableContainerBytes - cost;
        }
        return left >= 0 && capacity(room, left, largestReserved(0)) >= total;
    }

    /** What reservations can still be guaranteed, with {@code largest} the biggest reserved record. */
    long capacity(long activeRoom, long spare, long largest) {
        return Math.max(0, activeRoom - largest) + spare * Math.max(0, usableContainerBytes - largest);
    }

    private long largestReserved(long extra) {
        long largest = extra;
        for (Grant g : grants) {
            largest = Math.max(largest, g.largestRecord);
        }
        return largest;
    }
}

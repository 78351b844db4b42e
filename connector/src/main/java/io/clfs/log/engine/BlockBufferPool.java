package io.clfs.log.engine;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The direct block buffers of every log in the process, within one budget. A log takes a buffer for
 * each block it fills and gives it back once the block is written, so an idle log holds none and
 * the direct memory the engine uses is bounded by the budget, not by the number of open logs.
 * Beyond the budget a log gets a heap buffer (the JDK copies it through a temporary direct buffer
 * when writing), and flushes as soon as it seals such a block ({@link Appender}).
 *
 * <p>Thread-safe: every field is guarded by this object's monitor.
 */
public final class BlockBufferPool {
    public static final long DEFAULT_BUDGET = 64L << 20;
    private static final BlockBufferPool SHARED = new BlockBufferPool(DEFAULT_BUDGET);

    /** Frees a buffer's share of the budget once it is collected: a log that failed or was never closed keeps none. */
    private static final Cleaner CLEANER = Cleaner.create();

    private final Map<Integer, ArrayDeque<ByteBuffer>> free = new HashMap<>();
    private long budget;
    /** Direct bytes of this pool's buffers that are still reachable or not yet collected: lent out, free or dropped. */
    private long allocated;

    BlockBufferPool(long budget) {
        this.budget = budget;
    }

    /** The pool the logs of this process share. */
    public static BlockBufferPool shared() {
        return SHARED;
    }

    /** Sets the direct bytes the pool may hold; beyond it free buffers are dropped, their memory back once collected. */
    public synchronized void setBudget(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("invalid direct memory budget " + bytes + ": expected at least 0");
        }
        budget = bytes;
        if (allocated > budget) {
            free.clear();
        }
    }

    public synchronized long budget() {
        return budget;
    }

    /** Direct bytes of the pool's buffers not yet collected: lent out, free, or dropped and awaiting the collector. */
    public synchronized long allocatedBytes() {
        return allocated;
    }

    /** A cleared little-endian buffer of {@code size} bytes: direct within the budget, heap beyond it. */
    synchronized ByteBuffer take(int size) {
        ArrayDeque<ByteBuffer> same = free.get(size);
        ByteBuffer b = same == null ? null : same.poll();
        if (b != null) {
            return b;
        }
        if (allocated + size > budget) {
            free.clear(); // buffers of other sizes: their memory returns once collected
            return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        }
        allocated += size;
        b = ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
        CLEANER.register(b, () -> collected(size));
        return b;
    }

    private synchronized void collected(int size) {
        allocated -= size;
    }

    /** Takes back a buffer from {@link #take} that the log no longer uses. */
    synchronized void give(ByteBuffer b) {
        if (!b.isDirect()) {
            return;
        }
        if (allocated <= budget) {
            free.computeIfAbsent(b.capacity(), k -> new ArrayDeque<>()).push(b.clear());
        }
    }
}

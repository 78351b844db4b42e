package io.clfs.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-target time spent in the durable-append batches of one iteration, reported by JMH as
 * secondary results; {@link ResultTable} turns them into records per second and ratios.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class BatchTimings {
    public long engineNanos;
    public long rawPreallocatedNanos;
    public long rawFreshNanos;
    /** Batches per target (each target runs the same number). */
    public long batches;

    @Setup(Level.Iteration)
    public void reset() {
        engineNanos = 0;
        rawPreallocatedNanos = 0;
        rawFreshNanos = 0;
        batches = 0;
    }

    void add(int target, long nanos) {
        switch (target) {
            case DurableAppendBench.ENGINE -> engineNanos += nanos;
            case DurableAppendBench.RAW_PREALLOCATED -> rawPreallocatedNanos += nanos;
            default -> rawFreshNanos += nanos;
        }
    }
}

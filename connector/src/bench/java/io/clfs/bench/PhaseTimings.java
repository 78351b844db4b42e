package io.clfs.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-thread-count time and records of the paired group-commit phases in one iteration, reported
 * by JMH as secondary results; {@link ResultTable} turns them into records per second.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class PhaseTimings {
    public long nanos1;
    public long nanos2;
    public long nanos4;
    public long records1;
    public long records2;
    public long records4;

    @Setup(Level.Iteration)
    public void reset() {
        nanos1 = 0;
        nanos2 = 0;
        nanos4 = 0;
        records1 = 0;
        records2 = 0;
        records4 = 0;
    }

    void add(int threads, long nanos, long records) {
        switch (threads) {
            case 1 -> {
                nanos1 += nanos;
                records1 += records;
            }
            case 2 -> {
                nanos2 += nanos;
                records2 += records;
            }
            default -> {
                nanos4 += nanos;
                records4 += records;
            }
        }
    }
}

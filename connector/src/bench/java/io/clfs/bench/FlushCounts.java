package io.clfs.bench;

import io.clfs.log.Lsn;
import io.clfs.log.format.Layout;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Records and blocks per thread and iteration in the group-commit benchmark. A forced append
 * seals and forces one block holding its record and any records other threads appended while the
 * previous force ran, so records / blocks is records per fsync: a measure of group commit that,
 * unlike throughput, does not depend on how loaded the machine's disk is.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class FlushCounts {
    public long records;
    public long blocks;

    @Setup(Level.Iteration)
    public void reset() {
        records = 0;
        blocks = 0;
    }

    /**
     * Counts a durable record. With records of a few hundred bytes a block holds far fewer than 32
     * of them, so a record starts a block exactly when it sits right after a block header at a
     * sector boundary.
     */
    void count(long lsn) {
        records++;
        if (Lsn.offset(lsn) % Layout.SECTOR == Layout.BLOCK_HEADER_SIZE) {
            blocks++;
        }
    }
}

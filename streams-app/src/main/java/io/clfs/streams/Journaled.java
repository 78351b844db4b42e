package io.clfs.streams;

import io.clfs.log.Lsn;

/**
 * The outcome of journaling one input record: its LSN and where it came from. A {@code duplicate}
 * was journaled before (an earlier run got this far before a crash or rebalance) and was not
 * journaled again; its LSN is the earlier record's, or {@link Lsn#INVALID} when the journal skipped
 * that offset at the time.
 */
public record Journaled(long lsn, String topic, int partition, long offset, boolean duplicate) {

    /** True when the journal holds the record at {@link #lsn()}. */
    public boolean inJournal() {
        return lsn != Lsn.INVALID;
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset + " -> " + Lsn.toString(lsn) + (duplicate ? " (duplicate)" : "");
    }
}

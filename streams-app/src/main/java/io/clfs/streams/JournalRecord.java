package io.clfs.streams;

import io.clfs.log.Lsn;

/** A journal record read back: its LSN and what was journaled. */
public record JournalRecord(long lsn, JournalEnvelope envelope) {
    @Override
    public String toString() {
        return Lsn.toString(lsn) + " " + envelope;
    }
}

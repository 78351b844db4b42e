package io.clfs.streams;

import io.clfs.connect.envelope.Envelope;
import io.clfs.log.Lsn;

/** A journal record read back: its LSN and what was journaled. */
public record JournalRecord(long lsn, Envelope envelope) {
    @Override
    public String toString() {
        return Lsn.toString(lsn) + " " + envelope;
    }
}

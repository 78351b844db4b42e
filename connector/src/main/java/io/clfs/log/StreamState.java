package io.clfs.log;

import io.clfs.log.format.Metadata;

/** One stream's live state inside an open log; guarded by the log's lock, tails also read without it. */
final class StreamState {
    final int id;
    final String name;
    volatile long base;
    volatile long archiveTail;
    /** Newest durable restart record. */
    volatile long restartLsn;
    /** Newest appended record and data record (not necessarily durable yet). */
    long lastLsn;
    long lastDataLsn;
    long lastRestartAppended;
    /** The same as of the checkpoint, as stored in the metadata. */
    long checkpointLastLsn;
    long checkpointLastDataLsn;
    long reservedBytes;
    long reservedLargest;

    StreamState(Metadata.StreamEntry e) {
        this.id = e.id();
        this.name = e.name();
        this.base = e.base();
        this.archiveTail = e.archiveTail();
        this.restartLsn = e.restartLsn();
        this.lastRestartAppended = e.restartLsn();
        this.lastLsn = e.lastLsn();
        this.lastDataLsn = e.lastDataLsn();
        this.checkpointLastLsn = e.lastLsn();
        this.checkpointLastDataLsn = e.lastDataLsn();
    }

    Metadata.StreamEntry entry() {
        return new Metadata.StreamEntry(id, name, base, archiveTail, restartLsn, checkpointLastLsn,
                checkpointLastDataLsn);
    }

    long lowerTail(boolean archiveEnabled) {
        return archiveEnabled ? Lsn.min(base, archiveTail) : base;
    }
}

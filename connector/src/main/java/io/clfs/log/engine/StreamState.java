package io.clfs.log.engine;

import io.clfs.log.Lsn;

/**
 * One stream's live state inside an open log. Written only with the log's lock held (see
 * {@link LogCore}); the tails and the restart LSN are volatile so that readers may look at them
 * without it.
 */
public final class StreamState {
    public final int id;
    public final String name;
    public volatile long base;
    public volatile long archiveTail;
    /** Newest durable restart record. */
    public volatile long restartLsn;
    /** Newest appended record and data record (not necessarily durable yet). */
    public long lastLsn;
    public long lastDataLsn;
    public long lastRestartAppended;
    /** The same as of the checkpoint, as stored in the metadata. */
    long checkpointLastLsn;
    long checkpointLastDataLsn;
    long reservedBytes;

    public StreamState(Metadata.StreamEntry e) {
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

    /** Bytes this stream has reserved and not yet used; with the log's lock held. */
    public long reservedBytes() {
        return reservedBytes;
    }

    public long lowerTail(boolean archiveEnabled) {
        return archiveEnabled ? Lsn.min(base, archiveTail) : base;
    }

    /** Records that this stream's newest record of its type is at {@code lsn}. */
    void appended(long lsn, boolean data) {
        lastLsn = lsn;
        if (data) {
            lastDataLsn = lsn;
        } else {
            lastRestartAppended = lsn;
        }
    }

    /** Whether {@code lsn} is this stream's newest record, data record or restart record. */
    boolean isNewest(long lsn) {
        return lsn != Lsn.INVALID && (lsn == lastLsn || lsn == lastDataLsn || lsn == lastRestartAppended);
    }
}

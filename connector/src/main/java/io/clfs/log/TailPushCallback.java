package io.clfs.log;

/**
 * Called when the log is short of space: the client should move its base LSN (and an archiver its
 * archive tail) to at least {@code targetLsn} if it can. The target is a position (the start of a
 * container), not necessarily a record: move to the stream's first record at or above it, e.g. the
 * first one a forward read from the target returns. Runs on the appending thread; it may read and
 * move tails of this log, but not append to it.
 */
@FunctionalInterface
public interface TailPushCallback {
    void advanceTails(String stream, long targetLsn);
}

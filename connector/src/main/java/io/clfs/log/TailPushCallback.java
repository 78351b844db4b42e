package io.clfs.log;

/**
 * Called when the log is short of space: the client should move its base LSN (and an archiver its
 * archive tail) to at least {@code targetLsn} if it can. Runs on the appending thread.
 */
@FunctionalInterface
public interface TailPushCallback {
    void advanceTails(String stream, long targetLsn);
}

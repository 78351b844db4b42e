package io.clfs.connect.sink;

import io.clfs.log.ClfsException;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogKind;
import io.clfs.log.LogLockedException;
import io.clfs.log.LogPolicy;
import io.clfs.log.io.FileIO;

import java.nio.file.Path;

/**
 * Opens a partition's log as its one writer, creating it on first use, naming the task in
 * {@code clfs.lock.owner}. One try: a log that another writer holds throws
 * {@link LogLockedException}. That writer is usually the partition's previous owner, still
 * closing it, so the task keeps the partition paused and tries again ({@link WaitingOpens}); once
 * {@code clfs.log.open.timeout.ms} has passed, the holder is taken to be stalled (a stopped or cut
 * off worker, whose partitions Kafka's group has already given away) and the task opens with an
 * opener that takes the log over ({@link ClfsLog#openTakingOver}), which fences the holder.
 */
final class LogOpener {
    private final FileIO io;
    private final String owner;
    private final boolean takeOver;

    /** @param owner who opens (written beside the lock), or null; @param takeOver whether to take a held log over */
    LogOpener(FileIO io, String owner, boolean takeOver) {
        this.io = io;
        this.owner = owner;
        this.takeOver = takeOver;
    }

    ClfsLog openOrCreate(Path dir, LogPolicy policy, boolean archive) {
        if (!ClfsLog.exists(io, dir)) {
            try {
                return ClfsLog.create(io, dir, LogKind.DEDICATED, archive, policy, owner);
            } catch (LogLockedException e) {
                throw e;
            } catch (ClfsException e) {
                if (!ClfsLog.exists(io, dir)) {
                    throw e;
                }
                // another writer created it first: open it as usual
            }
        }
        return takeOver ? ClfsLog.openTakingOver(io, dir, owner) : ClfsLog.open(io, dir, owner);
    }
}

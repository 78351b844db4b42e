package io.clfs.log.engine;

import java.io.IOException;

/**
 * The writer's metadata transaction: own the files, write every appended block, apply a change to
 * the writer's state (a new stream, a tail move, a restart LSN, a policy), and write the metadata
 * from that state, so that the vouched end covers every record appended before it.
 *
 * <p>Runs under {@link LogCore#lock} with the files owned ({@link FileOwnership}); the change runs
 * there too and must not call back into the log.
 */
public final class MetadataUpdates {
    private final LogCore core;
    private final GroupCommit commit;
    private final SpaceManager space;

    public MetadataUpdates(LogCore core, GroupCommit commit, SpaceManager space) {
        this.core = core;
        this.commit = commit;
        this.space = space;
    }

    /** Applies {@code change} and writes the metadata; the checkpoint stays where it is. */
    public void update(Runnable change) {
        run(change, false);
    }

    /** Applies {@code change} and writes the metadata with the checkpoint moved to the end of the log. */
    public void updateWithCheckpoint(Runnable change) {
        run(change, true);
    }

    /**
     * The close's update: everything durable, the checkpoint at the end, and the log marked closed
     * cleanly, so that the next open needs no fence (docs/format.md, "Fencing an older owner").
     */
    public void close() {
        run(() -> core.closing = true, true);
    }

    private void run(Runnable change, boolean checkpoint) {
        core.checkWritable();
        core.lock.lock();
        try {
            core.ownership.acquire();
            try {
                core.checkUsable();
                commit.writeAll();
                change.run();
                space.writeAssigningAhead(checkpoint);
            } catch (IOException e) {
                throw core.fail("write metadata", e);
            } finally {
                core.ownership.release();
            }
        } finally {
            core.lock.unlock();
        }
    }
}

package io.clfs.log.engine;

import io.clfs.log.ClfsException;
import io.clfs.log.ClfsIOException;
import io.clfs.log.Lsn;
import io.clfs.log.OwnerFencedException;
import io.clfs.log.io.FileHandle;
import io.clfs.log.io.FileReplacedException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Writes the metadata as this writer knows it (streams, containers, policy, durable end), merged
 * with the archive tails an archiver may have moved on disk, into the next copy; the close's write
 * marks the log closed cleanly, every other clears the mark. A write that finds a newer owner
 * epoch on disk, or {@code clfs.meta} replaced by a newer owner, fences this writer; one that finds a container file deleted or
 * replaced under the writer ({@link FileIdentity}) stops it.
 *
 * <p>Runs with {@link LogCore#lock} held and the files owned, after every block is written, so that
 * the vouched end covers them. It must never write a block.
 */
public final class MetadataWriter {
    private final LogCore core;

    public MetadataWriter(LogCore core) {
        this.core = core;
    }

    /** Writes the metadata with {@code change} applied; the checkpoint stays where it is. */
    void write(UnaryOperator<Metadata> change) {
        write(change, false);
    }

    /**
     * As {@link #write}, moving the checkpoint (where recovery starts) to the write position, a
     * block boundary with every block below it durable.
     */
    void writeCheckpoint(UnaryOperator<Metadata> change) {
        write(change, true);
    }

    private void write(UnaryOperator<Metadata> change, boolean checkpoint) {
        try {
            checkContainers();
            core.meta = core.store.update(disk -> {
                if (disk.ownerEpoch() != core.epoch) {
                    throw new OwnerFencedException("log " + core.dir + " was opened by a newer writer (owner epoch "
                            + disk.ownerEpoch() + ", this writer's " + core.epoch + "): this writer is fenced");
                }
                mergeArchiveTails(disk);
                Metadata.Checkpoint cp = core.meta.checkpoint();
                if (checkpoint) {
                    for (StreamState s : core.streams.values()) {
                        s.checkpointLastLsn = s.lastLsn;
                        s.checkpointLastDataLsn = s.lastDataLsn;
                    }
                    cp = new Metadata.Checkpoint(core.writePosition, core.sequence, core.lastBlockEpoch);
                }
                List<Metadata.StreamEntry> entries = new ArrayList<>(core.streams.size());
                for (StreamState s : core.byId) { // in id order
                    if (s != null) {
                        entries.add(s.entry());
                    }
                }
                return change.apply(disk.withStreams(entries).withCheckpoint(cp).withVouchedEnd(core.durableEnd)
                        .withPolicy(core.meta.policy()).withContainers(core.meta.containers())
                        .withFencing(disk.fencing().withClosedCleanly(core.closing)));
            });
        } catch (OwnerFencedException e) {
            throw core.failStop(e);
        } catch (ClfsIOException e) {
            // Fail-stop: after a metadata write that may or may not have reached the disk, nothing
            // more is acknowledged until the log is reopened and recovered.
            throw core.failStop(fencedOr(e));
        }
    }

    /**
     * A writer fenced by a takeover holds a metadata file no name points to: its write landed
     * there, unseen, and the identity check after it failed. Told so, it learns that it is fenced.
     */
    private ClfsException fencedOr(ClfsIOException e) {
        if (!(e.getCause() instanceof FileReplacedException)) {
            return e;
        }
        try {
            OwnerCheck.check(core);
        } catch (OwnerFencedException fenced) {
            return fenced;
        } catch (IOException | ClfsException other) {
            e.addSuppressed(other);
        }
        return e;
    }

    /** The metadata vouches for what the containers hold: each must still be the file its name points to. */
    private void checkContainers() {
        for (FileHandle h : core.files.openHandles()) {
            try {
                FileIdentity.check(core.io, h, core.files.filledLength(h));
            } catch (IOException e) {
                throw new ClfsIOException("log " + core.dir + ": cannot write metadata", e);
            }
        }
    }

    private void mergeArchiveTails(Metadata disk) {
        for (Metadata.StreamEntry e : disk.streams()) {
            StreamState s = core.byId[e.id()];
            if (s != null && Lsn.less(s.archiveTail, e.archiveTail())) {
                s.archiveTail = e.archiveTail();
            }
        }
    }

    /** An archiver in another process may have moved archive tails: take them before reclaiming. */
    void refreshArchiveTails() {
        if (core.meta.archiveEnabled()) {
            mergeArchiveTails(core.store.readNewest());
        }
    }
}

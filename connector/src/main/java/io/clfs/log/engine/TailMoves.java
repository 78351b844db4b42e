package io.clfs.log.engine;

import io.clfs.log.InvalidTailMoveException;
import io.clfs.log.LsnBelowTailsException;
import io.clfs.log.Lsn;
import io.clfs.log.NotARecordException;

import java.nio.ByteBuffer;

/**
 * Restart areas and tail moves: a restart record made durable and named in the metadata (with an
 * optional new base LSN), and base-LSN and archive-tail moves, each checked to go forward onto a
 * durable record of its stream. An archiver on a read-only log moves the archive tail on disk
 * directly, under the metadata lock file.
 *
 * <p>Checks run without {@link LogCore#lock} (a record's durability does not change back), but for a
 * brief look at the writer's newest LSNs under it; the changes themselves run in a
 * {@link MetadataUpdates} transaction. It never writes a block itself.
 */
public final class TailMoves {
    private final LogCore core;
    private final Appender appender;
    private final GroupCommit commit;
    private final MetadataUpdates updates;
    private final RecordLookup lookup;
    private final Recovery recovery;

    public TailMoves(LogCore core, Appender appender, GroupCommit commit, MetadataUpdates updates,
                     RecordLookup lookup, Recovery recovery) {
        this.core = core;
        this.appender = appender;
        this.commit = commit;
        this.updates = updates;
        this.lookup = lookup;
        this.recovery = recovery;
    }

    public long writeRestartArea(StreamState s, ByteBuffer data, long newBase) {
        // Checked first: a refused base must not leave a restart record the metadata never names.
        if (newBase != Lsn.INVALID) {
            commit.flushThrough(newBase);
            checkTailTarget(s, newBase, "base LSN", s.base);
        }
        long lsn = appender.restart(s, data);
        commit.flushThrough(lsn);
        updates.updateWithCheckpoint(() -> {
            s.restartLsn = Lsn.max(s.restartLsn == Lsn.INVALID ? 0 : s.restartLsn, lsn);
            if (newBase != Lsn.INVALID && Lsn.less(s.base, newBase)) {
                s.base = newBase;
            }
        });
        return lsn;
    }

    public void setArchiveTail(StreamState s, long lsn) {
        if (core.writable) {
            moveTails(s, Lsn.INVALID, lsn);
            return;
        }
        checkArchiveEnabled();
        if (lsn == s.archiveTail) {
            return;
        }
        checkTailTarget(s, lsn, "archive tail", s.archiveTail);
        core.meta = core.store.update(disk -> {
            Metadata.StreamEntry e = disk.stream(s.id);
            if (e == null) {
                throw new InvalidTailMoveException("log " + core.dir + " has no stream '" + s.name + "' on disk");
            }
            if (Lsn.less(lsn, e.archiveTail())) {
                throw new InvalidTailMoveException("archive tail of stream '" + s.name + "' only moves forward: it is "
                        + Lsn.toString(e.archiveTail()) + ", asked for " + Lsn.toString(lsn));
            }
            return disk.withStream(s.id, x -> new Metadata.StreamEntry(x.id(), x.name(), x.base(), lsn,
                    x.restartLsn(), x.lastLsn(), x.lastDataLsn()));
        });
        s.archiveTail = lsn;
    }

    /** Moves either tail or both ({@link Lsn#INVALID} leaves one where it is) with one metadata write. */
    public void moveTails(StreamState s, long base, long archiveTail) {
        core.checkWritable();
        boolean moveBase = base != Lsn.INVALID && base != s.base;
        boolean moveArchive = archiveTail != Lsn.INVALID;
        if (moveArchive) {
            checkArchiveEnabled();
            moveArchive = archiveTail != s.archiveTail;
        }
        if (moveBase) {
            checkTailTarget(s, base, "base LSN", s.base);
        }
        if (moveArchive && !(moveBase && archiveTail == base)) { // one record need not be checked twice
            checkTailTarget(s, archiveTail, "archive tail", s.archiveTail);
        }
        if (!moveBase && !moveArchive) {
            return;
        }
        boolean b = moveBase;
        boolean a = moveArchive;
        updates.update(() -> {
            if (b && Lsn.less(s.base, base)) {
                s.base = base;
            }
            if (a && Lsn.less(s.archiveTail, archiveTail)) {
                s.archiveTail = archiveTail;
            }
        });
    }

    private void checkArchiveEnabled() {
        if (!core.meta.archiveEnabled()) {
            throw new InvalidTailMoveException("log " + core.dir + " is ephemeral: it has no archive tail");
        }
    }

    /** A tail moves forward only, and only onto a durable record of its stream. */
    private void checkTailTarget(StreamState s, long lsn, String tail, long current) {
        if (!core.writable && !Lsn.less(lsn, core.durableEnd)) {
            recovery.refresh();
        }
        if (Lsn.less(lsn, current)) {
            throw new InvalidTailMoveException(tail + " of stream '" + s.name + "' only moves forward: it is "
                    + Lsn.toString(current) + ", asked for " + Lsn.toString(lsn));
        }
        try {
            if (core.writable && isNewestOf(s, lsn)) {
                lookup.checkReadable(s, lsn); // a record this writer knows, so only durability and tails are left
            } else {
                lookup.read(lookup.newReader(), s, lsn);
            }
        } catch (NotARecordException | LsnBelowTailsException e) {
            throw new InvalidTailMoveException("cannot move the " + tail + " of stream '" + s.name + "' to "
                    + Lsn.toString(lsn) + ": " + e.getMessage());
        }
    }

    /**
     * Whether {@code lsn} is the newest record, data record or restart record of {@code s}: records
     * this writer appended or recovered. Clients usually move a tail to one of them (after a flush or a
     * restart area), and then the check needs no read of the container.
     */
    private boolean isNewestOf(StreamState s, long lsn) {
        core.lock.lock();
        try {
            return s.isNewest(lsn);
        } finally {
            core.lock.unlock();
        }
    }
}

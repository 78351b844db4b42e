package io.clfs.log.engine;

import io.clfs.log.ClfsIOException;
import io.clfs.log.CorruptLogException;
import io.clfs.log.Lsn;
import io.clfs.log.OwnerFencedException;
import io.clfs.log.io.FileReplacedException;
import io.clfs.log.format.RecordHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Finds the end of the log: at open, the scan from the checkpoint to the end of the block chain
 * (with the checks that tell a torn tail from corruption) after the writer's epoch bump; for a
 * read-only log, each refresh that follows the chain past the known end.
 *
 * <p>Recovery runs before the log is shared; refresh runs with {@link LogCore#lock} held. A writer's
 * recovery writes one thing into the containers: each block it found past the metadata's vouched
 * end, again, byte for byte where it was. Those blocks may be in the page cache only, and after a
 * failed writeback Linux marks such pages clean: a mere {@code force} would succeed without writing
 * them. Written again, they are dirty, and the force that follows really writes them.
 */
public final class Recovery {
    /** Refresh scans again while owners keep changing under it, then leaves the end where it was. */
    private static final int REFRESH_ATTEMPTS = 4;
    private final LogCore core;

    public Recovery(LogCore core) {
        this.core = core;
    }

    /**
     * For a writer: takes the next owner epoch first, then scans to the end of the chain and makes
     * it durable. Fencing before the scan is what makes a takeover safe: an older owner acknowledges
     * a flush only after its force and a check that its epoch is still the newest
     * ({@link GroupCommit}), so every record it acknowledged was forced before this bump and is
     * found by this scan; once the bump is on disk, its flushes fail.
     */
    public void recover() {
        boolean unclean = core.writable && !core.meta.fencing().closedCleanly();
        if (core.writable) {
            fence(unclean);
        }
        Metadata m = core.meta;
        ScannedBlockRewriter rewriter = core.writable ? new ScannedBlockRewriter(core.files, m.vouchedEnd()) : null;
        scanToEnd(m, m.checkpoint(), true, rewriter);
        checkTailsWithinEnd();
        if (core.writable) {
            rewriter.force();
            try {
                ChainFence cut = unclean ? ChainFence.prepare(core) : null;
                long end = cut == null ? core.writePosition : cut.start();
                if (cut == null && end == m.vouchedEnd()) {
                    // Nothing past the vouched end (a clean close, a new log): the fence's copy says it all.
                    checkStillOwner(core.store.readNewest());
                } else {
                    core.meta = core.store.update(disk -> {
                        checkStillOwner(disk);
                        Metadata vouched = disk.withVouchedEnd(end);
                        return cut == null ? vouched : cut.applyTo(vouched);
                    });
                }
                core.writePosition = end;
                core.durableEnd = end;
            } catch (IOException e) {
                throw new ClfsIOException("cannot fence the older owner of log " + core.dir, e);
            }
        }
    }

    /**
     * Writes the next owner epoch and takes the metadata as of that write, the newest there is.
     * After a clean close that is all. Otherwise an older owner may still be running (crashed,
     * stalled, or on storage whose lock does not exclude it): the new copy goes into a new
     * {@code clfs.meta} file, so that the older owner's late metadata writes land in the file it
     * holds, which no name points to any more, and its next check stops it ({@link OwnerCheck}).
     */
    private void fence(boolean unclean) {
        long seen = core.meta.ownerEpoch();
        UnaryOperator<Metadata> bump = disk -> {
            if (disk.ownerEpoch() != seen) {
                throw openedMeanwhile();
            }
            return disk.withOwnerEpoch(seen + 1).withFencing(disk.fencing().withClosedCleanly(false));
        };
        Metadata fenced;
        try {
            fenced = unclean ? core.store.replace(bump) : core.store.update(bump);
        } catch (ClfsIOException e) {
            if (e.getCause() instanceof FileReplacedException) { // another opener's fence replaced the file
                OwnerFencedException raced = openedMeanwhile();
                raced.initCause(e);
                throw raced;
            }
            throw e;
        }
        core.epoch = fenced.ownerEpoch();
        core.takeMetadata(fenced);
    }

    private void checkStillOwner(Metadata disk) {
        if (disk.ownerEpoch() != core.epoch) {
            throw openedMeanwhile();
        }
    }

    private OwnerFencedException openedMeanwhile() {
        return new OwnerFencedException("log " + core.dir + " was opened by another writer during recovery");
    }

    /**
     * Scans blocks from {@code from} to the end of the chain, bringing each stream's last LSNs and
     * newest restart record up to date. With {@code vouch}, an end below the metadata's vouched
     * durable end is corruption. A {@code rewriter} writes each block found again.
     */
    private void scanToEnd(Metadata m, Metadata.Checkpoint from, boolean vouch, ScannedBlockRewriter rewriter) {
        BlockReader c = new BlockReader(core.files, m);
        if (rewriter != null) {
            c.recovering();
        }
        c.startChain(from);
        c.walk(core.maxEpoch(), rewriter == null ? this::takeRecords : block -> {
            takeRecords(block);
            rewriter.rewrite(block);
        });
        if (vouch && Lsn.less(c.chainPosition(), m.vouchedEnd())) {
            Path file = c.faultFile() != null ? c.faultFile() : core.store.file();
            throw new CorruptLogException(file, c.faultOffset(), c.fault() + "; the metadata vouches that the log is"
                    + " durable up to " + Lsn.toString(m.vouchedEnd()) + ", so this is not a torn tail");
        }
        core.writePosition = c.chainPosition();
        core.sequence = c.chainSequence();
        core.lastBlockEpoch = c.chainEpoch();
        core.durableEnd = core.writePosition;
    }

    /**
     * A container file dropped or created anew (a stale file before its reuse) since {@code old}:
     * this reader's handle is the old file, which nothing writes any more.
     */
    private void forgetRenewedFiles(Metadata old, Metadata m) {
        for (Metadata.ContainerEntry was : old.containers()) {
            boolean same = m.containers().stream().anyMatch(c -> c.physicalId() == was.physicalId()
                    && c.fileEpoch() == was.fileEpoch());
            if (!same) {
                try {
                    core.files.forget(was.physicalId());
                } catch (IOException e) {
                    throw new ClfsIOException("cannot close container " + core.files.path(old, was.physicalId()), e);
                }
            }
        }
    }

    private void takeRecords(BlockReader c) {
        ByteBuffer b = c.buffer();
        for (int at = c.firstRecord(); at >= 0; at = c.nextRecord(at)) {
            c.checkRecord(at);
            StreamState s = core.streamById(RecordHeader.stream(b, at));
            long lsn = c.position() + at;
            if (s == null) {
                Metadata m = c.metadata();
                throw new CorruptLogException(core.files.path(m, m.physicalOf(Lsn.container(lsn))), Lsn.offset(lsn),
                        "expected a record of a known stream, found stream id " + RecordHeader.stream(b, at));
            }
            boolean data = RecordHeader.type(b, at) == RecordHeader.TYPE_DATA;
            s.appended(lsn, data);
            if (!data) {
                s.restartLsn = lsn;
            }
        }
    }

    private void checkTailsWithinEnd() {
        long end = core.writePosition;
        for (StreamState s : core.streams.values()) {
            for (long tail : new long[]{s.base, s.archiveTail}) {
                if (Lsn.less(end, tail)) {
                    throw new CorruptLogException(core.store.file(), 0, "expected the tails of stream '" + s.name
                            + "' at or below the durable end " + Lsn.toString(end) + ", found "
                            + Lsn.toString(tail));
                }
            }
            if (s.restartLsn != Lsn.INVALID && !Lsn.less(s.restartLsn, end)) {
                throw new CorruptLogException(core.store.file(), 0, "expected the restart LSN of stream '" + s.name
                        + "' below the durable end " + Lsn.toString(end) + ", found " + Lsn.toString(s.restartLsn));
            }
        }
    }

    /**
     * For a read-only log: takes the newest metadata (tails moved by the writer or an archiver) and
     * follows the block chain past the known end. Returns whether new durable blocks were found, or
     * the end moved back to a takeover's fence that this reader had walked past. A
     * writer's own log is always current: there it does nothing and returns false.
     */
    public boolean refresh() {
        if (core.writable) {
            return false;
        }
        core.lock.lock();
        try {
            long before = core.durableEnd;
            for (int attempt = 0; attempt < REFRESH_ATTEMPTS; attempt++) {
                Metadata.Checkpoint known = new Metadata.Checkpoint(core.writePosition, core.sequence,
                        core.lastBlockEpoch);
                Metadata m = core.store.readNewest();
                boolean pastFence = follow(core.meta, m);
                if (core.store.readNewest().ownerEpoch() == m.ownerEpoch()) {
                    return pastFence || Lsn.less(before, core.durableEnd);
                }
                // A newer owner opened the log during the scan: blocks the scan followed past the
                // vouched end may be the older owner's, written after the newer one scanned. Back
                // to the end known before, and again with the newer metadata.
                core.writePosition = known.position();
                core.sequence = known.sequence();
                core.lastBlockEpoch = known.epoch();
                core.durableEnd = before;
            }
            return false;
        } finally {
            core.lock.unlock();
        }
    }

    /** Takes {@code m}, newer than {@code old}, and follows the chain with it; true when the end lay past a fence {@code m} records. */
    private boolean follow(Metadata old, Metadata m) {
        forgetRenewedFiles(old, m);
        core.meta = m;
        for (Metadata.StreamEntry e : m.streams()) {
            StreamState s = core.byId[e.id()];
            if (s == null) {
                core.addStream(new StreamState(e));
            } else {
                s.base = e.base();
                s.archiveTail = e.archiveTail();
                if (e.restartLsn() != Lsn.INVALID) {
                    s.restartLsn = Lsn.max(s.restartLsn == Lsn.INVALID ? 0 : s.restartLsn, e.restartLsn());
                }
            }
        }
        long end = core.writePosition;
        Metadata.Checkpoint pastFence = ChainFence.restartPoint(old, m, end);
        if (pastFence != null) {
            scanToEnd(m, pastFence, false, null); // the end this reader knew was a fenced writer's
        } else if (m.physicalOf(Lsn.container(end)) < 0 && m.physicalOf(Lsn.container(end) + 1) < 0) {
            scanToEnd(m, m.checkpoint(), false, null);
        } else {
            scanToEnd(m, new Metadata.Checkpoint(end, core.sequence, core.lastBlockEpoch), false, null);
        }
        return pastFence != null;
    }
}

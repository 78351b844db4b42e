package io.clfs.log.engine;

import io.clfs.log.ClfsException;
import io.clfs.log.Lsn;
import io.clfs.log.engine.BlockWriter.SealedBlock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fsync path. A flush that finds the files free becomes the leader: it takes every sealed block,
 * writes them with one gathering write per run of adjacent blocks, forces each container written,
 * checks that no newer owner fenced it, and moves the durable end. Flushers that arrive meanwhile wait and are usually covered by that
 * one {@code force} (group commit); appends go on filling the marshalling area.
 *
 * <p>Runs with {@link LogCore#lock} held, except that the leader releases it for the write and the
 * force while it owns the files ({@link FileOwnership}). It never frames a block: that is
 * {@link BlockWriter}'s job.
 */
public final class GroupCommit {
    private final LogCore core;
    private final BlockWriter writer;
    /** The batch being written: an empty list between flushes, swapped with the writer's sealed list. */
    private ArrayList<SealedBlock> writing = new ArrayList<>();
    /** The leader's gathering-write array, reused. */
    private ByteBuffer[] gather = new ByteBuffer[64];

    public GroupCommit(LogCore core, BlockWriter writer) {
        this.core = core;
        this.writer = writer;
    }

    /**
     * Makes every record up to and including {@code lsn} ({@link Lsn#INVALID}: every record
     * appended so far) durable; returns after {@code force}. A read-only log has nothing to flush.
     */
    public void flushThrough(long lsn) {
        if (!core.writable) {
            return;
        }
        core.lock.lock();
        try {
            for (;;) {
                core.checkUsable();
                boolean all = lsn == Lsn.INVALID || !Lsn.less(lsn, core.writePosition);
                boolean inOpenBlock = all && writer.hasOpenBlock();
                if (!inOpenBlock && !Lsn.less(core.durableEnd, all ? core.writePosition : lsn + 1)) {
                    return;
                }
                if (!core.ownership.tryAcquire()) {
                    core.ownership.awaitRelease();
                    continue;
                }
                try {
                    if (inOpenBlock) {
                        writer.sealIfOpen();
                    }
                    if (!writer.hasSealed()) {
                        return;
                    }
                    lead();
                } finally {
                    core.ownership.release();
                }
            }
        } finally {
            core.lock.unlock();
        }
    }

    /** Writes every sealed block with the lock released; the caller owns the files. */
    private void lead() {
        ArrayList<SealedBlock> batch = writer.takeSealed(writing);
        writing = batch;
        long end = core.writePosition;
        IOException error = null;
        ClfsException fenced = null;
        core.lock.unlock();
        try {
            writeBatch(batch);
            checkStillOwner(true);
        } catch (IOException e) {
            error = e;
        } catch (ClfsException e) {
            fenced = e;
        } finally {
            core.lock.lock();
        }
        if (error != null) {
            throw core.fail("flush", error);
        }
        if (fenced != null) {
            throw core.failStop(fenced);
        }
        core.durableEnd = end;
        writer.recycle(batch);
        closeLeftContainers();
    }

    /** A writer keeps open only the container it writes and those with blocks to write: few files per log. */
    private void closeLeftContainers() {
        try {
            core.files.closeAllBut(core.meta.physicalOf(Lsn.container(core.writePosition)), writer::hasSealedFor);
        } catch (IOException e) {
            throw core.fail("close a container it left", e);
        }
    }

    /** Seals and writes everything, keeping the lock: the caller owns the files. */
    void writeAll() throws IOException {
        writer.sealIfOpen();
        boolean wrote = writer.hasSealed();
        if (wrote) {
            ArrayList<SealedBlock> batch = writer.takeSealed(writing);
            writing = batch;
            writeBatch(batch);
            writer.recycle(batch);
        }
        try {
            checkStillOwner(wrote);
        } catch (ClfsException e) {
            throw core.failStop(e);
        }
        core.durableEnd = core.writePosition;
    }

    /**
     * Before the durable end moves (and a flush is acknowledged): the owner epoch on disk is still
     * this writer's, and {@code clfs.meta} is still the file it holds ({@link OwnerCheck}). A newer
     * owner fenced before it scanned, so blocks forced before that fence are in its chain; blocks
     * forced after it lie past the fence it recorded, and must never be acknowledged, whatever the
     * file lock did. While the metadata is unchanged this is a {@code stat}, one read of the known
     * copy from the page cache and a compare ({@link MetadataStore#readNewest}). With nothing
     * written the file check is left to the metadata write that follows, which checks it after
     * its force.
     */
    private void checkStillOwner(boolean wroteBlocks) throws IOException {
        if (wroteBlocks) {
            OwnerCheck.check(core);
        } else {
            OwnerCheck.checkEpoch(core);
        }
    }

    /**
     * Writes the blocks, one gathering write per run of adjacent blocks in one container (within its
     * zero-filled length: {@link Preallocator}), and forces each container written; then checks
     * that each of them is still the file its name points to ({@link FileIdentity}; the metadata
     * file: {@link #checkStillOwner}), so that no flush is acknowledged into a file deleted or
     * replaced under the writer.
     */
    private void writeBatch(List<SealedBlock> batch) throws IOException {
        int n = batch.size();
        if (gather.length < n) {
            gather = new ByteBuffer[Math.max(n, 2 * gather.length)];
        }
        int from = 0;
        for (int i = 0; i < n; i++) {
            SealedBlock b = batch.get(i);
            gather[i] = b.buffer();
            boolean runEnds = i + 1 == n || batch.get(i + 1).handle() != b.handle()
                    || batch.get(i + 1).fileOffset() != b.fileOffset() + b.buffer().remaining();
            if (runEnds) {
                SealedBlock first = batch.get(from);
                first.handle().write(gather, from, i + 1 - from, first.fileOffset());
                if (i + 1 == n || batch.get(i + 1).handle() != b.handle()) {
                    b.handle().force();
                    FileIdentity.check(core.io, b.handle(), core.files.filledLength(b.handle()));
                }
                from = i + 1;
            }
        }
        Arrays.fill(gather, 0, n, null);
    }
}

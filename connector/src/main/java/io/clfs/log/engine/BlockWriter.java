package io.clfs.log.engine;

import io.clfs.log.ClfsException;
import io.clfs.log.Lsn;
import io.clfs.log.format.BlockHeader;
import io.clfs.log.format.Checksum;
import io.clfs.log.format.Layout;
import io.clfs.log.format.RecordHeader;
import io.clfs.log.io.FileHandle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The marshalling area: the open block that appends fill (its buffer from the process's
 * {@link BlockBufferPool}), and the blocks sealed but not yet written. The only code that writes
 * block and record framing; its reading half is {@link BlockReader}. Sealing a block moves the write position past it.
 *
 * <p>Every method runs with {@link LogCore#lock} held. It never touches a file: {@link GroupCommit}
 * takes the sealed blocks and writes them.
 */
public final class BlockWriter {
    private final LogCore core;
    private final Checksum checksum = new Checksum();
    private final BlockBufferPool pool = BlockBufferPool.shared();
    /** Blocks sealed but not yet written, in chain order; swapped out whole by {@link #takeSealed}. */
    private ArrayList<SealedBlock> sealed = new ArrayList<>();
    private long sealedBytes;
    /** Whether a block sealed and not yet taken is on the heap: the direct-memory budget is used up. */
    private boolean sealedOnHeap;
    private ByteBuffer block;
    private int blockFill;
    private int blockCapacity;
    private int blockRecords;

    /** A sealed block: its bytes (position 0, limit its length) and where in which file it goes. */
    public record SealedBlock(ByteBuffer buffer, FileHandle handle, long fileOffset, boolean pooled) {
    }

    public BlockWriter(LogCore core) {
        this.core = core;
    }

    /**
     * Leaves an open block with room for a record of {@code space} bytes, sealing the current one
     * when it is too full. False when the active container has no room for such a block: the caller
     * switches containers and asks again.
     */
    boolean ensureRoom(long space) {
        core.checkUsable();
        if (block != null && blockFill + space <= blockCapacity) {
            return true;
        }
        sealIfOpen();
        long need = Layout.blockLength(space);
        long room = core.meta.policy().containerSize() - Lsn.offset(core.writePosition);
        if (need > room) {
            return false;
        }
        int blockSize = core.meta.policy().blockSize();
        int capacity = (int) Math.min(Math.max(blockSize, need), room);
        block = capacity <= blockSize ? pool.take(blockSize)
                : ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
        blockCapacity = capacity;
        blockFill = Layout.BLOCK_HEADER_SIZE;
        blockRecords = 0;
        return true;
    }


    /** Where the open block's room ends, as an LSN: it is written nowhere past there. */
    long openBlockEnd() {
        return core.writePosition + blockCapacity;
    }

    /** The end of the active container, as an LSN: where a filler block ends. */
    long containerEnd() {
        return Lsn.of(Lsn.container(core.writePosition), core.meta.policy().containerSize());
    }

    /** Gives back the open block when it holds no record yet: an append that opened it was refused. */
    void dropOpenBlockIfEmpty() {
        if (block != null && blockRecords == 0) {
            if (block.capacity() == core.meta.policy().blockSize()) {
                pool.give(block);
            }
            block = null;
        }
    }

    /** The LSN the next record gets: valid after {@link #ensureRoom} returned true. */
    long nextLsn() {
        return core.writePosition + blockFill;
    }

    /**
     * Frames a record of {@code length} payload bytes gathered from {@code parts} into the open
     * block, taking {@code space} bytes (header, payload, zero padding to the record alignment).
     */
    void writeRecord(int streamId, int type, long previous, long undoNext, ByteBuffer[] parts, int length,
                     long space) {
        int at = blockFill;
        RecordHeader.write(block, at, Layout.RECORD_HEADER_SIZE + length, type, streamId, at, previous, undoNext,
                Lsn.container(core.writePosition));
        int p = at + Layout.RECORD_HEADER_SIZE;
        for (ByteBuffer part : parts) {
            int n = part.remaining();
            block.put(p, part, part.position(), n);
            p += n;
        }
        for (int end = (int) (at + space); p < end; p++) {
            block.put(p, (byte) 0);
        }
        RecordHeader.seal(block, at, checksum);
        blockFill += (int) space;
        blockRecords++;
    }

    /** Bytes the open block holds, its header included; 0 when no block is open. */
    long openBlockBytes() {
        return block != null ? blockFill : 0;
    }

    boolean hasOpenBlock() {
        return block != null;
    }

    void sealIfOpen() {
        if (block != null) {
            seal();
        }
    }

    /** Seals the open block: zero padding to the sector, the header, its checksum. */
    private void seal() {
        int length = (int) Layout.alignUp(blockFill, Layout.SECTOR);
        for (int p = blockFill; p < length; p++) {
            block.put(p, (byte) 0);
        }
        writeHeader(block, length, blockFill, blockRecords);
        block.limit(length).position(0);
        queue(block, block.capacity() == core.meta.policy().blockSize());
        block = null;
    }

    /**
     * Covers the rest of the active container with an empty block. A writer that crashed may have
     * left unacknowledged blocks past the recovered end; once the chain leaves the container they
     * would lie below the durable end, outside the chain, yet still load by LSN. The filler
     * overwrites them.
     */
    void sealFiller() {
        long room = core.meta.policy().containerSize() - Lsn.offset(core.writePosition);
        if (room < Layout.SECTOR) {
            return;
        }
        ByteBuffer filler = ByteBuffer.allocate((int) room).order(ByteOrder.LITTLE_ENDIAN);
        writeHeader(filler, (int) room, Layout.BLOCK_HEADER_SIZE, 0);
        queue(filler, false);
    }

    /** Writes and checksums the header of the block that starts at the write position, the next in the chain. */
    private void writeHeader(ByteBuffer b, int length, int dataLength, int records) {
        core.sequence++;
        core.lastBlockEpoch = core.epoch;
        BlockHeader.write(b, 0, length, dataLength, Lsn.container(core.writePosition), records, core.sequence,
                core.epoch);
        BlockHeader.seal(b, 0, checksum);
    }

    private void queue(ByteBuffer b, boolean pooled) {
        Metadata m = core.meta;
        FileHandle h;
        try {
            h = core.files.handleForWriting(m, m.physicalOf(Lsn.container(core.writePosition)));
        } catch (ClfsException e) {
            // The block is framed but has nowhere to go (a fenced owner, a missing file): the
            // chain as this writer knows it is broken, so it stops.
            throw core.failStop(e);
        }
        sealed.add(new SealedBlock(b, h, Lsn.offset(core.writePosition), pooled));
        sealedOnHeap |= pooled && !b.isDirect();
        int length = b.remaining();
        sealedBytes += length;
        core.writePosition += length;
    }

    /** Bytes sealed and not yet taken for writing. */
    long sealedBytes() {
        return sealedBytes;
    }

    /** Whether a sealed block not yet taken for writing is on the heap: the log should flush, giving buffers back. */
    boolean sealedOnHeap() {
        return sealedOnHeap;
    }

    boolean hasSealed() {
        return !sealed.isEmpty();
    }

    /** Whether a sealed block not yet taken for writing goes to {@code h}. */
    boolean hasSealedFor(FileHandle h) {
        for (SealedBlock b : sealed) {
            if (b.handle == h) {
                return true;
            }
        }
        return false;
    }

    /** Hands the sealed blocks over for writing and starts a new list in {@code empty}. */
    ArrayList<SealedBlock> takeSealed(ArrayList<SealedBlock> empty) {
        ArrayList<SealedBlock> out = sealed;
        sealed = empty;
        sealedBytes = 0;
        sealedOnHeap = false;
        return out;
    }

    /** Gives written blocks' buffers back to the shared pool and empties {@code written}. */
    void recycle(List<SealedBlock> written) {
        for (SealedBlock b : written) {
            if (b.pooled) {
                pool.give(b.buffer);
            }
        }
        written.clear();
    }
}

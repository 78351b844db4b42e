package io.clfs.log.engine;

import io.clfs.log.ClfsIOException;
import io.clfs.log.CorruptLogException;
import io.clfs.log.Lsn;
import io.clfs.log.format.BlockHeader;
import io.clfs.log.format.Checksum;
import io.clfs.log.format.Layout;
import io.clfs.log.format.RecordHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads and checks blocks, and follows the block chain: the block after one at position p with
 * sequence s and epoch e is at p + its length, or at the start of the next logical container
 * (always there when p is a takeover's fence, see {@link ChainFence}), and
 * must have sequence s + 1, an epoch from e to the metadata's owner epoch, and the right logical
 * container. A stale block (an older life of a recycled container, or an unacknowledged block of
 * a writer that crashed) fails one of these and ends the chain.
 *
 * <p>The reading half of the block format; {@link BlockWriter} is the writing half. Not
 * thread-safe: each reader (a read context, recovery, a verifier) has its own.
 */
public final class BlockReader {
    private final ContainerFiles files;
    private final Checksum checksum = new Checksum();
    private Metadata meta;
    private ByteBuffer buf = ByteBuffer.allocate(Layout.SECTOR).order(ByteOrder.LITTLE_ENDIAN);

    /** The loaded block: its start position (an LSN), sequence and epoch. */
    private long position = Lsn.INVALID;
    private long sequence;
    private long epoch;

    /** Where the chain goes next, and the sequence and epoch of the block before that point. */
    private long chainPosition;
    private long chainSequence;
    private long chainEpoch;

    private String fault;
    private Path faultFile;
    private long faultOffset;
    /** The last load found a well-formed block header whose checksum fails: a damaged block, not an absent one. */
    private boolean damaged;
    /** A writer's recovery: follows an older owner's blocks past the vouched end (to vouch for them). */
    private boolean recovering;

    public BlockReader(ContainerFiles files, Metadata meta) {
        this.files = files;
        this.meta = meta;
    }

    /**
     * Takes newer metadata. Returns true when it records a fence that this reader, with older
     * metadata, had already walked past: what it followed there was a fenced writer's blocks. The
     * chain then goes on from the fence and the loaded block is dropped ({@link ChainFence#restartPoint}).
     */
    public boolean metadata(Metadata m) {
        Metadata old = meta;
        meta = m;
        Metadata.Checkpoint restart = ChainFence.restartPoint(old, m, chainPosition);
        if (restart == null) {
            return false;
        }
        startChain(restart);
        return true;
    }

    /**
     * For a writer's recovery only: follow blocks of an older owner epoch past the vouched end too.
     * Everyone else stops there: such blocks may be a fenced owner's, written after the newer owner
     * scanned, until that owner's recovery vouches for the chain (docs/format.md, "Fencing an older owner").
     */
    public BlockReader recovering() {
        recovering = true;
        return this;
    }

    /** Starts a chain at a block boundary, as if a block with this sequence and epoch ended there. */
    public void startChain(Metadata.Checkpoint cp) {
        chainPosition = cp.position();
        chainSequence = cp.sequence();
        chainEpoch = cp.epoch();
        position = Lsn.INVALID;
    }

    /**
     * Loads the next block of the chain; false at the end of the chain (see {@link #fault()}). The
     * chain itself moves on only when the caller accepts the block with {@link #follow()}: a reader
     * may find a block written but not yet durable, and must find it again later.
     */
    public boolean next(long maxEpoch) {
        long first = chainPosition;
        long fence = meta.fenceOffsetOf(Lsn.container(first));
        boolean fenced = fence != 0 && Lsn.offset(first) >= fence;
        boolean tried = false;
        String firstFault = null;
        Path firstFile = null;
        long firstOffset = 0;
        if (!fenced && Lsn.offset(first) + Layout.SECTOR <= meta.policy().containerSize()) {
            tried = true;
            if (loadChained(first, maxEpoch)) {
                return true;
            }
            firstFault = fault;
            firstFile = faultFile;
            firstOffset = faultOffset;
        }
        long nextContainer = Lsn.container(first) + 1;
        if (meta.physicalOf(nextContainer) >= 0) {
            long second = Lsn.of(nextContainer, Layout.CONTAINER_HEADER_SIZE);
            if (loadChained(second, maxEpoch)) {
                return true;
            }
        }
        if (fenced) {
            // Blocks at or past the fence are a fenced writer's: the chain goes on in the next
            // container, whether or not its first block is written yet.
            chainPosition = Lsn.of(nextContainer, Layout.CONTAINER_HEADER_SIZE);
        }
        if (tried) {
            fault = firstFault;
            faultFile = firstFile;
            faultOffset = firstOffset;
        }
        return false;
    }

    private boolean loadChained(long at, long maxEpoch) {
        if (!load(at)) {
            return false;
        }
        if (sequence != chainSequence + 1) {
            return fail(at, "expected block sequence " + (chainSequence + 1) + ", found " + sequence);
        }
        if (epoch < chainEpoch || epoch > maxEpoch) {
            return fail(at, "expected a block epoch from " + chainEpoch + " to " + maxEpoch + ", found " + epoch);
        }
        if (!recovering && epoch < meta.ownerEpoch() && !Lsn.less(at, meta.vouchedEnd())) {
            return fail(at, "expected a block of owner epoch " + meta.ownerEpoch() + " at or past the vouched end "
                    + Lsn.toString(meta.vouchedEnd()) + ", found one of epoch " + epoch + " that no newer owner vouched for");
        }
        return true;
    }

    /** Continues the chain after the loaded block. */
    public void follow() {
        chainPosition = position + blockLength();
        chainSequence = sequence;
        chainEpoch = epoch;
    }

    /** Loads and checks the block starting at {@code at}, without chain checks. */
    public boolean load(long at) {
        position = Lsn.INVALID;
        damaged = false;
        long logical = Lsn.container(at);
        long offset = Lsn.offset(at);
        int physical = meta.physicalOf(logical);
        if (physical < 0) {
            return fail(at, null, offset, "expected logical container " + logical + " to be in use");
        }
        long containerSize = meta.policy().containerSize();
        long room = containerSize - offset;
        if (offset < Layout.CONTAINER_HEADER_SIZE || offset % Layout.SECTOR != 0 || room < Layout.SECTOR) {
            return fail(at, "expected a block start at a 512-byte boundary inside the container");
        }
        try {
            buf.clear().limit(Layout.BLOCK_HEADER_SIZE);
            if (files.read(meta, physical, buf, offset) < Layout.BLOCK_HEADER_SIZE) {
                return fail(at, "expected a block header, found end of file");
            }
            String f = BlockHeader.checkHeader(buf, 0, room, logical);
            if (f != null) {
                return fail(at, f);
            }
            int length = BlockHeader.blockLength(buf, 0);
            if (buf.capacity() < length) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(length, Math.min(buf.capacity() * 2, (int) room)))
                        .order(ByteOrder.LITTLE_ENDIAN);
                bigger.put(buf.flip());
                buf = bigger;
            }
            buf.limit(length).position(Layout.BLOCK_HEADER_SIZE);
            if (files.read(meta, physical, buf, offset + Layout.BLOCK_HEADER_SIZE) < length - Layout.BLOCK_HEADER_SIZE) {
                return fail(at, "expected " + length + " bytes of block, found end of file");
            }
            buf.position(0);
            f = BlockHeader.checkCrc(buf, 0, checksum);
            if (f != null) {
                damaged = true;
                return fail(at, f);
            }
        } catch (IOException e) {
            throw new ClfsIOException("cannot read " + files.path(meta, physical) + " at offset " + offset, e);
        }
        position = at;
        sequence = BlockHeader.sequence(buf, 0);
        epoch = BlockHeader.epoch(buf, 0);
        fault = null;
        return true;
    }

    private boolean fail(long at, String reason) {
        int physical = meta.physicalOf(Lsn.container(at));
        return fail(at, physical < 0 ? null : files.path(meta, physical), Lsn.offset(at), reason);
    }

    private boolean fail(long at, Path file, long offset, String reason) {
        position = Lsn.INVALID;
        fault = reason + " (block at LSN " + Lsn.toString(at) + ")";
        faultFile = file;
        faultOffset = offset;
        return false;
    }

    /**
     * Where the block holding a record at {@code lsn} would start, from the record's offset-in-block
     * field, or -1 when that field is implausible. The caller still loads and walks the block.
     */
    public long blockStartOf(long lsn) {
        long logical = Lsn.container(lsn);
        long offset = Lsn.offset(lsn);
        int physical = meta.physicalOf(logical);
        if (physical < 0 || offset < Layout.CONTAINER_HEADER_SIZE + Layout.BLOCK_HEADER_SIZE
                || offset + Layout.RECORD_HEADER_SIZE > meta.policy().containerSize()) {
            return -1;
        }
        ByteBuffer header = ByteBuffer.allocate(Layout.RECORD_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (files.read(meta, physical, header, offset) < Layout.RECORD_HEADER_SIZE) {
                return -1;
            }
        } catch (IOException e) {
            throw new ClfsIOException("cannot read " + files.path(meta, physical) + " at offset " + offset, e);
        }
        long inBlock = Integer.toUnsignedLong(header.getInt(RecordHeader.OFFSET_IN_BLOCK_OFFSET));
        long start = offset - inBlock;
        if (inBlock < Layout.BLOCK_HEADER_SIZE || start < Layout.CONTAINER_HEADER_SIZE || start % Layout.SECTOR != 0) {
            return -1;
        }
        return start;
    }

    /** Checks the record at buffer offset {@code at}; throws, naming file and offset, when it is bad. */
    public void checkRecord(int at) {
        refuse(at, RecordHeader.check(buf, 0, at, dataLength(), Lsn.container(position), checksum));
    }

    /**
     * Checks only that the record at buffer offset {@code at} lies inside the block's data, which is
     * enough to step over it on the way to another record; throws, naming file and offset, when not.
     */
    public void checkRecordBounds(int at) {
        refuse(at, RecordHeader.checkBounds(buf, at, dataLength()));
    }

    /**
     * Checks that the previous and undo-next links of the record at buffer offset {@code at} point
     * below it (or are LSN_INVALID): every walk along them then descends and ends. Throws, naming
     * file and offset, when not; only a crafted or damaged file has such a record.
     */
    public void checkLinks(int at) {
        long lsn = position + at;
        refuse(at, linkFault("previous", RecordHeader.previous(buf, at), lsn));
        refuse(at, linkFault("undo-next", RecordHeader.undoNext(buf, at), lsn));
    }

    private static String linkFault(String which, long link, long lsn) {
        if (link == Lsn.INVALID || Lsn.less(link, lsn)) {
            return null;
        }
        return "expected the " + which + " link of the record at LSN " + Lsn.toString(lsn)
                + " to point below it (or be LSN_INVALID), found " + Lsn.toString(link);
    }

    private void refuse(int at, String fault) {
        if (fault != null) {
            int physical = meta.physicalOf(Lsn.container(position));
            throw new CorruptLogException(files.path(meta, physical), Lsn.offset(position) + at, fault);
        }
    }

    /** The buffer offset of the first record, or -1 when the block holds none. */
    public int firstRecord() {
        return dataLength() > Layout.BLOCK_HEADER_SIZE ? Layout.BLOCK_HEADER_SIZE : -1;
    }

    /** The buffer offset of the record after the one at {@code at}, or -1. */
    public int nextRecord(int at) {
        long next = at + Layout.alignUp(RecordHeader.length(buf, at), Layout.RECORD_ALIGNMENT);
        return next < dataLength() ? (int) next : -1;
    }

    /**
     * Follows the chain from where it stands to its end, accepting every block it finds, and calls
     * {@code eachBlock} with each one loaded. Returns where the chain ends.
     */
    public long walk(long maxEpoch, Consumer<BlockReader> eachBlock) {
        while (next(maxEpoch)) {
            follow();
            eachBlock.accept(this);
        }
        return chainPosition;
    }

    public ByteBuffer buffer() {
        return buf;
    }


    public long position() {
        return position;
    }



    public int blockLength() {
        return BlockHeader.blockLength(buf, 0);
    }

    public int dataLength() {
        return BlockHeader.dataLength(buf, 0);
    }

    public long chainPosition() {
        return chainPosition;
    }

    public long chainSequence() {
        return chainSequence;
    }

    public long chainEpoch() {
        return chainEpoch;
    }

    public String fault() {
        return fault;
    }

    public boolean damaged() {
        return damaged;
    }

    public Path faultFile() {
        return faultFile;
    }

    public long faultOffset() {
        return faultOffset;
    }

    public Metadata metadata() {
        return meta;
    }
}

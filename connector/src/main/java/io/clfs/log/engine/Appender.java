package io.clfs.log.engine;

import io.clfs.log.DiskFullException;
import io.clfs.log.Lsn;
import io.clfs.log.format.Layout;
import io.clfs.log.format.RecordHeader;

import java.nio.ByteBuffer;

/**
 * Appends one record: checks its size and links, takes its space (from a reservation or beside
 * them), finds it room in the open block (switching containers when the active one is full), has
 * {@link BlockWriter} frame it, and flushes when asked, when the marshalling area is too full, or when it
 * sealed a block on the heap (the direct-memory budget is used up: {@link BlockBufferPool}).
 *
 * <p>The hot path: under {@link LogCore#lock}, it allocates nothing but the blocks it opens. The
 * flush, when there is one, runs after the lock is released.
 */
public final class Appender {
    private static final long MIN_MARSHALLING_BYTES = 8L << 20;

    private final LogCore core;
    private final BlockWriter writer;
    private final SpaceManager space;
    private final GroupCommit commit;
    private final Preallocator prealloc;

    public Appender(LogCore core, BlockWriter writer, SpaceManager space, GroupCommit commit) {
        this.core = core;
        this.writer = writer;
        this.space = space;
        this.commit = commit;
        this.prealloc = new Preallocator(core);
    }

    /** A data record linked to the stream's last data record; durable on return when {@code force}. */
    public long data(StreamState s, boolean force, ByteBuffer[] parts) {
        return append(s, RecordHeader.TYPE_DATA, true, Lsn.INVALID, Lsn.INVALID, null, force, parts);
    }

    /** A data record with the client's own links, each below the new LSN or {@link Lsn#INVALID}. */
    public long linked(StreamState s, long previous, long undoNext, boolean force, ByteBuffer[] parts) {
        return append(s, RecordHeader.TYPE_DATA, false, previous, undoNext, null, force, parts);
    }

    /** A data record in space reserved earlier, linked to the stream's last data record. */
    public long reserved(StreamState s, Reservations.Grant grant, ByteBuffer[] parts) {
        return append(s, RecordHeader.TYPE_DATA, true, Lsn.INVALID, Lsn.INVALID, grant, false, parts);
    }

    /** A data record in space reserved earlier, with the client's own links. */
    public long reservedLinked(StreamState s, Reservations.Grant grant, long previous, long undoNext,
                               ByteBuffer[] parts) {
        return append(s, RecordHeader.TYPE_DATA, false, previous, undoNext, grant, false, parts);
    }

    /** A restart record linked to the stream's previous one; not flushed. */
    long restart(StreamState s, ByteBuffer data) {
        return append(s, RecordHeader.TYPE_RESTART, true, Lsn.INVALID, Lsn.INVALID, null, false,
                new ByteBuffer[]{data});
    }

    private long append(StreamState s, int type, boolean defaultLinks, long previous, long undoNext,
                        Reservations.Grant grant, boolean force, ByteBuffer[] parts) {
        core.checkWritable();
        long length = 0;
        for (ByteBuffer p : parts) {
            length += p.remaining();
        }
        long recordSpace = Layout.recordSpace(length);
        if (Layout.blockLength(recordSpace) > core.meta.policy().usableContainerBytes()) {
            throw new IllegalArgumentException("a record of " + length + " bytes does not fit a container of "
                    + core.meta.policy().containerSize() + " bytes");
        }
        boolean data = type == RecordHeader.TYPE_DATA;
        long lsn;
        boolean overLimit;
        core.lock.lock();
        try {
            core.checkUsable();
            space.claim(s, grant, recordSpace + Reservations.RESERVED_FRAMING);
            while (!writer.ensureRoom(recordSpace)) {
                prealloc.fillThrough(writer.containerEnd()); // the filler block that ends the container
                space.switchContainer();
            }
            try {
                prealloc.fillThrough(writer.openBlockEnd());
            } catch (DiskFullException e) {
                writer.dropOpenBlockIfEmpty();
                throw e;
            }
            lsn = writer.nextLsn();
            if (defaultLinks) {
                previous = data ? s.lastDataLsn : s.lastRestartAppended;
                undoNext = previous;
            } else {
                checkLink("previous", previous, lsn);
                checkLink("undo-next", undoNext, lsn);
            }
            writer.writeRecord(s.id, type, previous, undoNext, parts, (int) length, recordSpace);
            s.appended(lsn, data);
            overLimit = writer.sealedBytes() >= Math.max(MIN_MARSHALLING_BYTES, 16L * core.meta.policy().blockSize())
                    || writer.sealedOnHeap();
        } finally {
            core.lock.unlock();
        }
        if (force || overLimit) {
            commit.flushThrough(lsn);
        }
        return lsn;
    }

    private static void checkLink(String which, long link, long lsn) {
        if (link != Lsn.INVALID && !Lsn.less(link, lsn)) {
            throw new IllegalArgumentException("the " + which + " link " + Lsn.toString(link)
                    + " must point below the new record's LSN " + Lsn.toString(lsn) + " (or be LSN_INVALID)");
        }
    }
}

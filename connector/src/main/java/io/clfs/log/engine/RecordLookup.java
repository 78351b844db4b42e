package io.clfs.log.engine;

import io.clfs.log.CorruptLogException;
import io.clfs.log.LogRecord;
import io.clfs.log.LsnBelowTailsException;
import io.clfs.log.Lsn;
import io.clfs.log.NotARecordException;
import io.clfs.log.RecordType;
import io.clfs.log.format.Layout;
import io.clfs.log.format.RecordHeader;

import java.nio.ByteBuffer;

/**
 * Finds and reads one record by LSN: checks that it is readable (at or above its stream's tails,
 * below the durable end), finds its block through the record's offset-in-block field, and copies it
 * out as a {@link LogRecord}.
 *
 * <p>Takes no lock: it reads the volatile metadata and durable end, and each caller brings its own
 * {@link BlockReader}. On a read-only log it refreshes (under the lock, in {@link Recovery}) when
 * asked for an LSN past the known end. It never writes.
 */
public final class RecordLookup {
    private final LogCore core;
    private final Recovery recovery;

    public RecordLookup(LogCore core, Recovery recovery) {
        this.core = core;
        this.recovery = recovery;
    }

    public BlockReader newReader() {
        return new BlockReader(core.files, core.meta);
    }

    /** Reads the record at {@code lsn}, which must be a durable record of {@code s} at or above its tails. */
    public LogRecord read(BlockReader c, StreamState s, long lsn) {
        core.checkOpen();
        if (!core.writable && !Lsn.less(lsn, core.durableEnd)) {
            recovery.refresh();
        }
        checkReadable(s, lsn);
        c.metadata(core.meta);
        int at = locate(c, lsn);
        if (at < 0) {
            throw new NotARecordException("LSN " + Lsn.toString(lsn) + " is not a record in log " + core.dir);
        }
        if (RecordHeader.stream(c.buffer(), at) != s.id) {
            throw new NotARecordException("LSN " + Lsn.toString(lsn) + " is a record of another stream, not of '"
                    + s.name + "'");
        }
        return toRecord(c, at, s);
    }

    public void checkReadable(StreamState s, long lsn) {
        boolean archive = core.meta.archiveEnabled();
        long lower = s.lowerTail(archive);
        if (Lsn.less(lsn, lower)) {
            throw new LsnBelowTailsException("LSN " + Lsn.toString(lsn) + " of stream '" + s.name + "' in log "
                    + core.dir + " is below its tails (base LSN " + Lsn.toString(s.base)
                    + (archive ? ", archive tail " + Lsn.toString(s.archiveTail) : "") + "): the record is gone");
        }
        long end = core.durableEnd;
        if (!Lsn.less(lsn, end)) {
            throw new NotARecordException("LSN " + Lsn.toString(lsn) + " is at or past the durable end "
                    + Lsn.toString(end) + " of log " + core.dir);
        }
    }

    /**
     * Loads the block holding the record at {@code lsn} and returns the record's buffer offset, or
     * -1 when no record starts there. The block is found through the record's offset-in-block field
     * and then walked from its start, stepping over records by their lengths, so an LSN inside a record
     * is never taken for one. Only the record found is checked in full.
     */
    public static int locate(BlockReader c, long lsn) {
        long fence = c.metadata().fenceOffsetOf(Lsn.container(lsn));
        if (fence != 0 && Lsn.offset(lsn) >= fence) {
            return -1; // past a takeover's fence: a fenced writer's, never a record of the log
        }
        long start = c.blockStartOf(lsn);
        if (start < 0) {
            return -1;
        }
        if (!c.load(Lsn.of(Lsn.container(lsn), start))) {
            if (c.damaged()) {
                throw new CorruptLogException(c.faultFile(), c.faultOffset(), c.fault());
            }
            return -1;
        }
        long rel = Lsn.offset(lsn) - start;
        return rel < c.dataLength() ? findRecord(c, (int) rel) : -1;
    }

    private static int findRecord(BlockReader c, int rel) {
        for (int at = c.firstRecord(); at >= 0 && at <= rel; at = c.nextRecord(at)) {
            if (at == rel) {
                c.checkRecord(at);
                return at;
            }
            c.checkRecordBounds(at); // the block's checksum held; stepping over a record needs only its length
        }
        return -1;
    }

    /**
     * The record at buffer offset {@code at} of the loaded block, a copy of its payload included.
     * Its links are checked here, where every record leaves the engine, so that no walk along them
     * (a read context's or a client's own) can loop.
     */
    public LogRecord toRecord(BlockReader c, int at, StreamState s) {
        return toRecord(c, at, s, true);
    }

    /**
     * {@link #toRecord}, or with {@code copy} false its payload a read-only view of the reader's
     * buffer: valid only until the reader loads another block, for a reader that is done with each
     * record before it reads the next (a replay decodes and copies out what it keeps anyway).
     */
    public LogRecord toRecord(BlockReader c, int at, StreamState s, boolean copy) {
        c.checkLinks(at);
        ByteBuffer b = c.buffer();
        int length = RecordHeader.length(b, at) - Layout.RECORD_HEADER_SIZE;
        ByteBuffer data;
        if (copy) {
            byte[] bytes = new byte[length];
            b.get(at + Layout.RECORD_HEADER_SIZE, bytes);
            data = ByteBuffer.wrap(bytes);
        } else {
            data = b.slice(at + Layout.RECORD_HEADER_SIZE, length);
        }
        return new LogRecord(c.position() + at, RecordType.fromCode(RecordHeader.type(b, at)),
                s != null ? s.name : core.byId[RecordHeader.stream(b, at)].name, RecordHeader.previous(b, at),
                RecordHeader.undoNext(b, at), data.asReadOnlyBuffer());
    }

    /**
     * A block boundary at the very end of a container (where a stream created there has its tails),
     * or at or past a takeover's fence in it, is the same place in the log as the start of the next
     * container: the chain goes on there.
     */
    public long normalizedBoundary(long position) {
        // Only the very end: a record may start in a container's last sector.
        return ChainFence.latest(core.meta, position);
    }
}

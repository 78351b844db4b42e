package io.clfs.log;

import io.clfs.log.engine.BlockReader;
import io.clfs.log.engine.ChainFence;
import io.clfs.log.engine.LogCore;
import io.clfs.log.engine.RecordLookup;
import io.clfs.log.engine.StreamState;
import io.clfs.log.format.Layout;
import io.clfs.log.format.RecordHeader;

import java.nio.ByteBuffer;

/**
 * Reads records of one stream from a start LSN: forward in LSN order, or backwards along the
 * previous or undo-next links, returning only the record types of its filter. Contexts are cheap
 * and independent; any number may read while the writer appends. Forward reading stops at the
 * durable end; on a read-only log it first looks for records written since.
 */
public final class ReadContext implements AutoCloseable {
    private final ClfsLog log;
    private final LogCore core;
    private final RecordLookup lookup;
    private final StreamState stream;
    private final long start;
    private final ReadMode mode;
    private final RecordFilter filter;
    private final BlockReader cursor;
    private boolean started;
    /** Forward: buffer offset of the last record looked at in the loaded block. */
    private int at = -1;
    private LogRecord last;

    ReadContext(ClfsLog log, StreamState stream, long start, ReadMode mode, RecordFilter filter) {
        this.log = log;
        this.core = log.core();
        this.lookup = log.lookup();
        this.stream = stream;
        this.start = start;
        this.mode = mode;
        this.filter = filter;
        this.cursor = lookup.newReader();
    }

    /** The next record, or null at the end (durable end forward, LSN_INVALID backwards). */
    public LogRecord next() {
        return mode == ReadMode.FORWARD ? nextForward(true) : nextLinked();
    }

    /**
     * {@link #next}, reading forward, with the record's data a read-only view of this context's
     * block buffer instead of a copy: valid only until the next call on this context. For a reader
     * that is done with each record before it reads the next; a linked read copies.
     */
    public LogRecord nextView() {
        return mode == ReadMode.FORWARD ? nextForward(false) : nextLinked();
    }

    private LogRecord nextLinked() {
        for (;;) {
            long lsn;
            if (!started) {
                started = true;
                lsn = start;
            } else {
                // Below last.lsn(): the lookup refused, naming its file and offset, any record whose links are not.
                lsn = mode == ReadMode.PREVIOUS ? last.previous() : last.undoNext();
            }
            if (lsn == Lsn.INVALID) {
                return null;
            }
            last = lookup.read(cursor, stream, lsn);
            if (filter.accepts(last.type())) {
                return last;
            }
        }
    }

    private LogRecord nextForward(boolean copy) {
        for (;;) {
            if (!started) {
                if (!position()) {
                    return null;
                }
                started = true;
            } else if (!advance()) {
                return null;
            }
            ByteBuffer b = cursor.buffer();
            cursor.checkRecord(at);
            if (RecordHeader.stream(b, at) == stream.id
                    && filter.accepts(RecordType.fromCode(RecordHeader.type(b, at)))) {
                return lookup.toRecord(cursor, at, stream, copy);
            }
        }
    }

    /** Places the context on the first record at or after {@code start}: a record LSN, or a block boundary. */
    private boolean position() {
        long start = lookup.normalizedBoundary(this.start);
        if (!Lsn.less(start, core.durableEnd())) {
            log.refresh();
            if (!Lsn.less(start, core.durableEnd())) {
                return false;
            }
        }
        lookup.checkReadable(stream, this.start);
        cursor.metadata(core.metadata());
        if (cursor.load(start)) {
            at = cursor.firstRecord();
            cursor.follow();
            return at >= 0 || advance();
        }
        at = RecordLookup.locate(cursor, start);
        if (at < 0) {
            throw new NotARecordException("LSN " + Lsn.toString(start) + " is neither a record nor a block start in log "
                    + log.dir());
        }
        cursor.follow();
        return true;
    }

    /** The next record slot in LSN order, following the block chain up to the durable end. */
    private boolean advance() {
        if (cursor.metadata() != core.metadata() && cursor.metadata(core.metadata())) {
            at = -1; // the loaded block lay past a takeover's fence: a fenced writer's, not to be read on
        }
        if (at >= 0) {
            at = cursor.nextRecord(at);
            if (at >= 0) {
                return true;
            }
        }
        // The loaded block is used up (at == -1): only a block the chain accepts may be read next.
        for (;;) {
            if (!Lsn.less(cursor.chainPosition(), core.durableEnd()) && !log.refresh()) {
                return false;
            }
            // Taken before the read: a writer sharing this log may make the block durable while we
            // read it, and only a block that was durable before we looked may be called corrupt.
            long durable = core.durableEnd();
            cursor.metadata(core.metadata());
            if (!cursor.next(core.maxEpoch())) {
                if (nextBlockIsDurable(durable)) {
                    throw new CorruptLogException(cursor.faultFile() != null ? cursor.faultFile() : log.dir(),
                            cursor.faultOffset(), cursor.fault() + "; the log is durable up to "
                            + Lsn.toString(durable) + ", so this is not its end");
                }
                return false;
            }
            if (!Lsn.less(cursor.position(), core.durableEnd())) {
                return false;
            }
            cursor.follow();
            at = cursor.firstRecord();
            if (at >= 0) {
                return true;
            }
        }
    }

    /**
     * Whether the block after the chain's position lies below {@code durable}: in the same
     * container below it, or in the next container while the durable end is further on.
     */
    private boolean nextBlockIsDurable(long durable) {
        long at = cursor.chainPosition();
        long end = ChainFence.earliest(core.metadata(), durable); // a fence's jump is not room
        if (Lsn.container(end) == Lsn.container(at)) {
            return Lsn.less(at, end);
        }
        return Lsn.less(Lsn.of(Lsn.container(at) + 1, Layout.CONTAINER_HEADER_SIZE), end);
    }

    @Override
    public void close() {
        // holds no files of its own: the log's container handles are shared
    }
}

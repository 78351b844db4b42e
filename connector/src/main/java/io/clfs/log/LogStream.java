package io.clfs.log;

import io.clfs.log.engine.Appender;
import io.clfs.log.engine.StreamState;
import io.clfs.log.engine.TailMoves;

import java.nio.ByteBuffer;

/**
 * One stream of a log: appends, restart areas, tails, reservations and reads. A dedicated log has
 * one stream; a multiplexed log has named ones sharing containers and flushes. Appends do not
 * change the positions of the buffers they are given.
 */
public final class LogStream {
    private final ClfsLog log;
    private final StreamState state;
    private final Appender appender;
    private final TailMoves tails;

    LogStream(ClfsLog log, StreamState state) {
        this.log = log;
        this.state = state;
        this.appender = log.appender();
        this.tails = log.tails();
    }

    public String name() {
        return state.name;
    }

    public ClfsLog log() {
        return log;
    }

    /**
     * Appends one data record gathered from {@code parts}; its previous and undo-next links point to
     * the stream's last data record. Not durable until flushed: see {@link ClfsLog#flush(long)}.
     */
    public long append(ByteBuffer... parts) {
        return appender.data(state, false, parts);
    }

    public long append(byte[] data) {
        return append(ByteBuffer.wrap(data));
    }

    /** Appends and returns only when the record is durable. */
    public long appendForced(ByteBuffer... parts) {
        return appender.data(state, true, parts);
    }

    /**
     * Appends with explicit links (each below the new LSN, or {@link Lsn#INVALID}): a client's own
     * chain, or a compensation record whose undo-next skips the records it undid.
     */
    public long append(long previous, long undoNext, boolean force, ByteBuffer... parts) {
        return appender.linked(state, previous, undoNext, force, parts);
    }

    /** Appends into space reserved earlier: never fails for lack of space. */
    public long append(Reservation reservation, ByteBuffer... parts) {
        checkOwn(reservation);
        return appender.reserved(state, reservation.grant(), parts);
    }

    public long append(Reservation reservation, long previous, long undoNext, ByteBuffer... parts) {
        checkOwn(reservation);
        return appender.reservedLinked(state, reservation.grant(), previous, undoNext, parts);
    }

    private void checkOwn(Reservation r) {
        if (r.stream().state != state) {
            throw new IllegalArgumentException("reservation belongs to stream '" + r.stream().name() + "'");
        }
    }

    public void flush(long lsn) {
        log.flush(lsn);
    }

    /** Reserves space for records of these payload sizes; see {@link ClfsLog#spaceFor(int...)}. */
    public Reservation reserve(int... payloadSizes) {
        return new Reservation(this, log.space().reserve(state, payloadSizes));
    }

    void release(Reservation r) {
        log.space().release(state, r.grant());
    }

    /** Appends a restart record, makes it and all before it durable, and records it in the metadata. */
    public long writeRestartArea(ByteBuffer data) {
        return tails.writeRestartArea(state, data, Lsn.INVALID);
    }

    /** As {@link #writeRestartArea(ByteBuffer)}, moving the base LSN to {@code newBase} in the same step. */
    public long writeRestartArea(ByteBuffer data, long newBase) {
        return tails.writeRestartArea(state, data, newBase);
    }

    /** The newest restart record, or null when the stream has none. */
    public LogRecord readRestartArea() {
        long lsn = state.restartLsn;
        return lsn == Lsn.INVALID ? null : read(lsn);
    }

    /** Restart records newest first, walking back along their chain. */
    public ReadContext restartAreas() {
        return read(state.restartLsn, ReadMode.PREVIOUS, RecordFilter.RESTART);
    }

    public LogRecord read(long lsn) {
        return log.lookup().read(log.lookup().newReader(), state, lsn);
    }

    /** A read context from {@code start}; the first record it returns is the one at {@code start}. */
    public ReadContext read(long start, ReadMode mode, RecordFilter filter) {
        return new ReadContext(log, state, start, mode, filter);
    }

    /** Reads forward from the lower of the two tails: every readable record of the stream. */
    public ReadContext readFromTail(RecordFilter filter) {
        return new ReadContext(log, state, state.lowerTail(log.archiveEnabled()), ReadMode.FORWARD, filter);
    }

    public void advanceBase(long lsn) {
        tails.moveTails(state, lsn, Lsn.INVALID);
    }

    /** Moves the archive tail; allowed on a read-only log too, so an archiver in another process can. */
    public void setArchiveTail(long lsn) {
        tails.setArchiveTail(state, lsn);
    }

    /**
     * Moves the base LSN and the archive tail with one metadata write, as a client that archives its
     * own records does once per checkpoint. Each is checked as by {@link #advanceBase} and
     * {@link #setArchiveTail}; {@link Lsn#INVALID} leaves that tail where it is. Writer only.
     */
    public void moveTails(long base, long archiveTail) {
        tails.moveTails(state, base, archiveTail);
    }

    public long baseLsn() {
        return state.base;
    }

    public long archiveTail() {
        return state.archiveTail;
    }

    /** The lower of the two tails (the base alone in an ephemeral log): records below it are gone. */
    public long lowerTail() {
        return state.lowerTail(log.archiveEnabled());
    }

    /** The newest durable restart record, or {@link Lsn#INVALID}. */
    public long restartLsn() {
        return state.restartLsn;
    }

    /** The last record appended (by this writer) or found (by a reader). */
    public long lastLsn() {
        return state.lastLsn;
    }

    /** The last data record appended (by this writer) or found (by a reader), or {@link Lsn#INVALID}. */
    public long lastDataLsn() {
        return state.lastDataLsn;
    }

    public long durableEnd() {
        return log.durableEnd();
    }
}

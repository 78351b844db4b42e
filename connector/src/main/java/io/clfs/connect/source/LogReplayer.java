package io.clfs.connect.source;

import io.clfs.connect.LogDistance;
import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.connect.envelope.EnvelopeFormatException;
import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.log.ClfsException;
import io.clfs.log.ClfsLog;
import io.clfs.log.InvalidTailMoveException;
import io.clfs.log.LogRecord;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import io.clfs.log.LsnBelowTailsException;
import io.clfs.log.NotARecordException;
import io.clfs.log.ReadContext;
import io.clfs.log.ReadMode;
import io.clfs.log.RecordFilter;
import io.clfs.log.RecordType;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Reads one log for replay, as a reader beside the sink (the writer), in LSN order: in archive
 * mode the data records below the base LSN, following the base as the sink moves it; in range
 * mode those in [from, to). It also moves the archive tail (archive mode) once the task says what
 * Connect has committed. Used by the task thread only.
 *
 * <p>Restart records are not replayed, but passing one ends a <em>segment</em>: the records the
 * sink released in one step. The task uses that as a transaction boundary.
 */
final class LogReplayer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogReplayer.class);

    private final String name;
    private final ClfsLog clfs;
    private final LogStream stream;
    private final ClfsSourceConfig.Mode mode;
    /** Range mode: the exclusive end. */
    private final long to;
    /** Range mode: the timestamp and origin offset ranges a record must be in. */
    private final ReplaySelection selection;
    /** Records of any type this replayer read from the log: what finding the start saved shows here. */
    private long recordsRead;
    private long recordsSelected;
    /** Records at or below this LSN were committed before this task started: not replayed again. */
    private final long committedAtStart;
    private final long refreshIntervalMs;
    private final long start;
    private ReadContext ctx;
    /** A record read at or above the bound: replayed once the base moves past it. */
    private LogRecord held;
    private long lastReplayed = Lsn.INVALID;
    private boolean segmentOpen;
    private boolean finished;
    private long lastRefreshMs = Long.MIN_VALUE / 2;
    /** The last {@link #next} found nothing to replay: at the bound, or at the durable end. */
    private boolean waiting = true;
    /** Records this task refused and skipped (errors.tolerance=all): the archive tail may pass them. */
    private final NavigableSet<Long> skipped = new TreeSet<>();

    private LogReplayer(String name, ClfsLog clfs, ClfsSourceConfig config, long committed) {
        this.name = name;
        this.clfs = clfs;
        this.stream = clfs.stream();
        this.mode = config.mode();
        this.selection = config.selection();
        this.to = mode != ClfsSourceConfig.Mode.RANGE ? Lsn.INVALID
                : config.toLsn() != Lsn.INVALID ? config.toLsn() : endAtStart();
        this.refreshIntervalMs = config.pollIntervalMs();
        long lower = mode == ClfsSourceConfig.Mode.ARCHIVE ? stream.archiveTail()
                : RangeStart.find(stream, selection, config.fromLsn() == Lsn.INVALID ? lowerTail() : config.fromLsn());
        boolean resume = committed != Lsn.INVALID && !Lsn.less(committed, lower);
        this.committedAtStart = resume ? committed : Lsn.INVALID;
        this.start = resume ? committed : lower;
        if (mode == ClfsSourceConfig.Mode.ARCHIVE && !clfs.archiveEnabled()) {
            log.warn("Log {} is ephemeral (created with clfs.archive.enabled=false): the sink reclaims what it releases,"
                    + " so there is nothing to replay in archive mode", clfs.dir());
            finished = true;
        } else if (mode == ClfsSourceConfig.Mode.RANGE && (!Lsn.less(start, to)
                || (resume && !Lsn.less(committed, to)))) {
            finished = true;
        }
        log.info("Replaying log {} in {} mode from {}{}{}", name, mode, Lsn.toString(start),
                resume ? " (after the committed LSN)" : committed != Lsn.INVALID
                        ? " (already past the committed LSN " + Lsn.toString(committed) + ")" : "",
                selection.all() ? "" : ", records with " + selection.describe() + ", to " + Lsn.toString(to));
    }

    /** A range without a to-LSN ends after the last record the log held when the task started. */
    private long endAtStart() {
        long last = stream.lastLsn();
        return last == Lsn.INVALID ? Lsn.NULL : last + 1;
    }

    /** Opens a log read-only, for {@link #resume}. */
    static ClfsLog openLog(Path dir) {
        try {
            return ClfsLog.openReadOnly(dir);
        } catch (ClfsException e) {
            throw new ConnectException("cannot open log " + dir + " for replay: " + e.getMessage(), e);
        }
    }

    /**
     * Replays {@code clfs} (read-only, from {@link #openLog}; closed on failure); {@code committed}
     * is the last committed LSN of its partition, or INVALID.
     */
    static LogReplayer resume(String name, ClfsLog clfs, ClfsSourceConfig config, long committed) {
        try {
            return new LogReplayer(name, clfs, config, committed);
        } catch (RuntimeException e) {
            clfs.close();
            throw e;
        }
    }

    String name() {
        return name;
    }

    LogStream stream() {
        return stream;
    }

    Path dir() {
        return clfs.dir();
    }

    boolean finished() {
        return finished;
    }

    /**
     * The next data record to replay, or null when there is none now (archive mode: none below the
     * base yet; range mode: the range is done, or the log has not reached it yet).
     * {@code segmentEnd} runs when the reader passes a restart record after handing out records,
     * and at the end of a range. The record's data is valid until the next call.
     */
    LogRecord next(Runnable segmentEnd) {
        LogRecord r = nextToReplay(segmentEnd);
        waiting = r == null;
        return r;
    }

    private LogRecord nextToReplay(Runnable segmentEnd) {
        while (!finished) {
            LogRecord r = held != null ? held : read();
            held = null;
            if (r == null) {
                return null;
            }
            if (committedAtStart != Lsn.INVALID && !Lsn.less(committedAtStart, r.lsn())) {
                continue; // replayed and committed by an earlier task
            }
            if (!Lsn.less(r.lsn(), bound())) {
                if (r.type() == RecordType.RESTART) {
                    endSegment(segmentEnd); // the base is a restart area: the segment before it is whole
                }
                if (mode == ClfsSourceConfig.Mode.RANGE) {
                    finishRange(segmentEnd);
                    return null;
                }
                held = r; // at the base: wait for the sink to release it
                return null;
            }
            if (r.type() == RecordType.RESTART) {
                endSegment(segmentEnd);
                continue;
            }
            if (!selection.all()) {
                EnvelopeCodec.Fixed f = fixedOf(r);
                if (selection.pastEnd(f.offset())) {
                    finishRange(segmentEnd); // offsets only grow along a partition's log
                    return null;
                }
                if (!selection.selects(f.offset(), f.timestamp())) {
                    continue;
                }
                recordsSelected++;
            }
            segmentOpen = true;
            lastReplayed = r.lsn();
            return r;
        }
        return null;
    }

    private EnvelopeCodec.Fixed fixedOf(LogRecord r) {
        try {
            return EnvelopeCodec.decodeFixed(r.data());
        } catch (EnvelopeFormatException bad) {
            throw new ConnectException("log " + name + ": the record at LSN " + Lsn.toString(r.lsn())
                    + " is not a sink envelope: " + bad.getMessage(), bad);
        }
    }

    private void finishRange(Runnable segmentEnd) {
        finished = true;
        endSegment(segmentEnd);
        if (!selection.all() && recordsSelected == 0 && committedAtStart == Lsn.INVALID) {
            log.warn("Range replay of log {}: no record with {} between {} and {}; the log holds {}", name,
                    selection.describe(), Lsn.toString(start), Lsn.toString(to), LogHoldings.of(stream));
        } else {
            log.info("Range replay of log {} reached {}: done", name, Lsn.toString(to));
        }
    }

    /** For tests: records of any type read from the log so far. */
    long recordsRead() {
        return recordsRead;
    }
    private void endSegment(Runnable segmentEnd) {
        if (segmentOpen) {
            segmentOpen = false;
            segmentEnd.run();
        }
    }

    private long bound() {
        return mode == ClfsSourceConfig.Mode.ARCHIVE ? stream.baseLsn() : to;
    }

    private LogRecord read() {
        try {
            if (ctx == null) {
                // The task may have moved the archive tail past the committed record it resumes after.
                long from = mode == ClfsSourceConfig.Mode.ARCHIVE ? Lsn.max(start, stream.archiveTail()) : start;
                ctx = stream.read(from, ReadMode.FORWARD, RecordFilter.ALL);
            }
            LogRecord r = ctx.nextView(); // decoded (and copied out) before the next read, or held until then
            if (r == null && mode == ClfsSourceConfig.Mode.RANGE) {
                checkNotOvertaken();
            }
            if (r != null) {
                recordsRead++;
            }
            return r;
        } catch (LsnBelowTailsException e) {
            throw new ConnectException("log " + name + ": cannot replay from " + Lsn.toString(start) + ": "
                    + e.getMessage() + (mode == ClfsSourceConfig.Mode.RANGE ? " (check " + ClfsSourceConfig.FROM_LSN
                    + ")" : ""), e);
        } catch (NotARecordException e) {
            throw new ConnectException("log " + name + ": cannot replay from " + Lsn.toString(start) + ": "
                    + e.getMessage() + (mode == ClfsSourceConfig.Mode.RANGE ? " (" + ClfsSourceConfig.FROM_LSN
                    + " must be a record or block start)" : ""), e);
        } catch (ClfsException e) {
            throw new ConnectException("log " + name + ": cannot read after " + Lsn.toString(lastReplayed) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * A range replay does not hold the tails: if an archiver let the sink reclaim what it had not
     * read yet, the reader finds a broken chain that looks like the end. Say so instead of waiting.
     */
    private void checkNotOvertaken() {
        long position = lastReplayed == Lsn.INVALID ? start : lastReplayed;
        if (Lsn.less(position, lowerTail())) {
            throw new ConnectException("log " + name + ": the records after " + Lsn.toString(position)
                    + " were reclaimed before the range replay read them (tails now: base " + Lsn.toString(stream.baseLsn())
                    + ", archive tail " + Lsn.toString(stream.archiveTail()) + ")");
        }
    }

    private long lowerTail() {
        return stream.lowerTail();
    }

    /**
     * Re-reads the log's metadata (the sink's new base LSN) at most once per poll interval, and
     * only when the reader waits at the base or the durable end: while records are left below the
     * base it knows, a newer base changes nothing yet (the read context refreshes by itself at the
     * durable end).
     */
    void maybeRefresh(long nowMs) {
        if (finished || !waiting || nowMs - lastRefreshMs < refreshIntervalMs) {
            return;
        }
        lastRefreshMs = nowMs;
        refresh();
    }

    void refresh() {
        stream.log().refresh();
    }

    /** A record this task refused under errors.tolerance=all: the archive tail may pass it. */
    void skipped(long lsn) {
        skipped.add(lsn);
    }

    /**
     * Archive mode: moves the archive tail past {@code committed} (a record Kafka took and Connect
     * committed), to the first record after it that still needs replay: the next data record not
     * skipped, or the base. Never backwards; another archiver's later tail wins.
     *
     * @return the new tail, or INVALID when it did not move
     */
    long archiveThrough(long committed) {
        if (mode != ClfsSourceConfig.Mode.ARCHIVE || !clfs.archiveEnabled() || committed == Lsn.INVALID) {
            return Lsn.INVALID;
        }
        long tail = stream.archiveTail();
        if (Lsn.less(committed, tail)) {
            return Lsn.INVALID;
        }
        long base = stream.baseLsn();
        long target = Lsn.INVALID;
        try (ReadContext c = stream.read(committed, ReadMode.FORWARD, RecordFilter.ALL)) {
            for (LogRecord r = c.next(); r != null; r = c.next()) {
                if (r.lsn() == committed) {
                    continue;
                }
                if (!Lsn.less(r.lsn(), base) || (r.type() == RecordType.DATA && !skipped.contains(r.lsn()))) {
                    target = r.lsn();
                    break;
                }
            }
        } catch (ClfsException e) {
            log.warn("Log {}: cannot find the record after committed LSN {}: {}; the archive tail stays at {}", name,
                    Lsn.toString(committed), e.getMessage(), Lsn.toString(tail));
            return Lsn.INVALID;
        }
        if (target == Lsn.INVALID || !Lsn.less(tail, target)) {
            return Lsn.INVALID;
        }
        try {
            stream.setArchiveTail(target);
        } catch (InvalidTailMoveException e) {
            // Another task (a zombie during a rebalance) or archiver moved it further: forward only.
            log.debug("Log {}: archive tail not moved to {}: {}", name, Lsn.toString(target), e.getMessage());
            return Lsn.INVALID;
        }
        skipped.headSet(target).clear();
        log.debug("Log {}: archive tail moved to {}", name, Lsn.toString(target));
        return target;
    }

    /** Records and log bytes between the archive tail and the base, and the tails. */
    record Lag(long records, long bytes, long archiveTail, long base, long lastReplayed) {
    }

    /**
     * The replay lag of archive mode. Bytes come from the LSNs (container framing counted); records
     * from Kafka offsets: the base is a sink restart area that holds the offset of the last record
     * before it, and the first data record at the tail holds its own. Exact for dense offsets, an
     * upper bound when the origin partition had gaps (transaction markers, compaction).
     */
    Lag lag() {
        long tail = clfs.archiveEnabled() ? stream.archiveTail() : Lsn.INVALID;
        long base = stream.baseLsn();
        if (tail == Lsn.INVALID || !Lsn.less(tail, base)) {
            return new Lag(0, 0, tail, base, lastReplayed);
        }
        long bytes = LogDistance.bytesBetween(clfs.policy(), tail, base);
        long records = -1;
        try {
            LogRecord baseRecord = stream.read(base);
            LogRecord first;
            try (ReadContext c = stream.read(tail, ReadMode.FORWARD, RecordFilter.DATA)) {
                first = c.next();
            }
            if (baseRecord.type() == RecordType.RESTART && first != null && Lsn.less(first.lsn(), base)) {
                long lastOffset = SinkRestartArea.decode(baseRecord.data()).lastOffset();
                records = Math.max(0, lastOffset - EnvelopeCodec.decodeFixed(first.data()).offset() + 1);
            } else if (first == null || !Lsn.less(first.lsn(), base)) {
                records = 0;
            }
        } catch (RuntimeException e) {
            log.debug("Log {}: replay lag in records unknown: {}", name, e.toString());
        }
        return new Lag(records, bytes, tail, base, lastReplayed);
    }

    @Override
    public void close() {
        if (ctx != null) {
            ctx.close();
        }
        clfs.close();
    }
}

package io.clfs.tool;

import io.clfs.log.ClfsException;
import io.clfs.log.LogRecord;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import io.clfs.log.ReadContext;
import io.clfs.log.ReadMode;
import io.clfs.log.RecordFilter;
import io.clfs.log.RecordType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Every record of several streams in one LSN order (each read context is in order, so a k-way merge
 * is), and a check that each stream was read to its last record.
 */
final class MergedRecords {
    /** A stream and a context reading all its record types from {@code start}. */
    record Source(LogStream stream, long start, ReadContext context) {
        Source(LogStream stream, long start) {
            this(stream, start, stream.read(start, ReadMode.FORWARD, RecordFilter.ALL));
        }
    }

    private record Head(LogRecord record, Source from) {
    }

    private final List<Source> sources;
    private final Map<Source, Long> lastRead = new HashMap<>();
    /** Each stream's last record as known when its context ended: later reads may find newer ones. */
    private final Map<Source, Long> lastAtEnd = new HashMap<>();
    private final PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> Lsn.compare(a.record.lsn(),
            b.record.lsn()));

    MergedRecords(List<Source> sources) {
        this.sources = sources;
        for (Source s : sources) {
            push(s);
        }
    }

    /** The next record in LSN order, or null when every stream is at its end. */
    LogRecord next() {
        Head h = heads.poll();
        if (h == null) {
            return null;
        }
        push(h.from);
        return h.record;
    }

    private void push(Source s) {
        LogRecord r = s.context.next();
        if (r != null) {
            lastRead.put(s, r.lsn());
            heads.add(new Head(r, s));
        } else {
            lastAtEnd.put(s, s.stream.lastLsn());
        }
    }

    /**
     * After {@link #next} returned null: fails unless each stream was read up to its last record.
     * A forward read context ends quietly at a block that fails its checks, even below the durable
     * end, and a dump must not pass a cut-off log for a whole one.
     */
    void checkReadToTheEnd() {
        for (Source s : sources) {
            long last = lastAtEnd.get(s);
            Long read = lastRead.get(s);
            boolean nothingToRead = last == Lsn.INVALID || (read == null && Lsn.less(last, s.start));
            if (!nothingToRead && (read == null || read != last)) {
                throw new ClfsException("reading stream '" + s.stream.name() + "' of log " + s.stream.log().dir()
                        + " stopped " + (read == null ? "before its first record" : "after " + Lsn.toString(read))
                        + ", short of its last record " + Lsn.toString(last)
                        + ": a block in between fails its checks (clfs verify locates it)");
            }
        }
    }

    /** Where reading a stream starts by default: the lower of its two tails. */
    static long lowerTail(LogStream s) {
        return s.log().archiveEnabled() ? Lsn.min(s.baseLsn(), s.archiveTail()) : s.baseLsn();
    }

    /** Whether {@code filter} takes records of {@code r}'s type; the engine's own test is not public. */
    static boolean accepts(RecordFilter filter, LogRecord r) {
        return filter == RecordFilter.ALL || (filter == RecordFilter.DATA) == (r.type() == RecordType.DATA);
    }
}

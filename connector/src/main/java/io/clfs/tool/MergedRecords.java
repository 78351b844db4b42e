package io.clfs.tool;

import io.clfs.log.LogRecord;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import io.clfs.log.ReadContext;
import io.clfs.log.ReadMode;
import io.clfs.log.RecordFilter;

import java.util.List;
import java.util.PriorityQueue;

/**
 * Every record of several streams in one LSN order: each read context is in order, so a k-way merge
 * is. A damaged block below the durable end comes out of the engine as a CorruptLogException.
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

    private final PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> Lsn.compare(a.record.lsn(),
            b.record.lsn()));

    MergedRecords(List<Source> sources) {
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
            heads.add(new Head(r, s));
        }
    }
}

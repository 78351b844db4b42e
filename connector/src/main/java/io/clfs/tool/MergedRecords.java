package io.clfs.tool;

import io.clfs.log.LogRecord;
import io.clfs.log.Lsn;
import io.clfs.log.ReadContext;

import java.util.List;
import java.util.PriorityQueue;

/** The records of several streams in one LSN order: each read context is in order, so a k-way merge is. */
final class MergedRecords {
    private record Head(LogRecord record, ReadContext from) {
    }

    private final PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> Lsn.compare(a.record.lsn(),
            b.record.lsn()));

    MergedRecords(List<ReadContext> contexts) {
        for (ReadContext c : contexts) {
            push(c);
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

    private void push(ReadContext c) {
        LogRecord r = c.next();
        if (r != null) {
            heads.add(new Head(r, c));
        }
    }
}

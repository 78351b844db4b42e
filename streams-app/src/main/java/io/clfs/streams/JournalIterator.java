package io.clfs.streams;

import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.log.LogRecord;
import io.clfs.log.Lsn;
import io.clfs.log.ReadContext;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** Durable journal records of one partition in LSN order, up to an inclusive end; close it when done. */
public final class JournalIterator implements Iterator<JournalRecord>, AutoCloseable {
    private final ReadContext ctx;
    private final long toLsn;
    private LogRecord next;

    JournalIterator(ReadContext ctx, long toLsn) {
        this.ctx = ctx;
        this.toLsn = toLsn;
        advance();
    }

    private void advance() {
        next = ctx.next();
        if (next != null && toLsn != Lsn.INVALID && Lsn.less(toLsn, next.lsn())) {
            next = null;
        }
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public JournalRecord next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        JournalRecord r = new JournalRecord(next.lsn(), EnvelopeCodec.decode(next.data()));
        advance();
        return r;
    }

    @Override
    public void close() {
        ctx.close();
    }
}

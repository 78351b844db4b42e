package io.clfs.tool;

import io.clfs.log.ClfsLog;
import io.clfs.log.Lsn;

import java.io.PrintWriter;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * The LSNs {@code clfs append} has appended and not yet printed. A batch is handed to one flusher
 * thread, which makes it durable ({@link ClfsLog#flush(long)} through its last LSN) and only then
 * prints it, while the appending thread fills the next batch: reading and framing input overlap
 * the fsync (the log's group commit lets one thread force while another appends). A hand-off first
 * waits for the batch before it, so at most one batch is being flushed and one filled, and batches
 * print in order.
 *
 * <p>Thread-safety: {@link #add}, {@link #count}, {@link #handOff} and {@link #close} are called by
 * the appending thread only. A batch's text is written by that thread before the hand-off and read
 * by the flusher after it (the executor's hand-off orders the two); the appending thread reuses a
 * text buffer only after the flush that printed it completed.
 */
final class Acknowledgements implements AutoCloseable {
    /** Makes every record through the given LSN durable, returning after the fsync ({@link ClfsLog#flush(long)}). */
    private final LongConsumer flushThrough;
    private final PrintWriter out;
    private final ExecutorService flusher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "clfs-append-flusher");
        t.setDaemon(true);
        return t;
    });
    private StringBuilder text = new StringBuilder();
    /** The text buffer of the batch in flight, reused once that batch is printed. */
    private StringBuilder spare = new StringBuilder();
    private Future<?> inFlight;
    private long last;
    private int count;

    Acknowledgements(LongConsumer flushThrough, PrintWriter out) {
        this.flushThrough = flushThrough;
        this.out = out;
    }

    void add(long lsn) {
        text.append(Lsn.toString(lsn)).append(System.lineSeparator());
        last = lsn;
        count++;
    }

    /** Records added since the last hand-off. */
    int count() {
        return count;
    }

    /**
     * Hands the records added since the last hand-off to the flusher, after the batch before them
     * is durable and printed. A failed flush of that batch is thrown here.
     */
    void handOff() {
        if (count == 0) {
            return;
        }
        awaitInFlight();
        StringBuilder batch = text;
        long through = last;
        text = spare;
        spare = batch;
        count = 0;
        inFlight = flusher.submit(() -> {
            flushThrough.accept(through);
            out.append(batch).flush();
            batch.setLength(0);
        });
    }

    /** Hands off what is left and waits until every added record is durable and printed. */
    void finish() {
        handOff();
        awaitInFlight();
    }

    private void awaitInFlight() {
        if (inFlight == null) {
            return;
        }
        Future<?> f = inFlight;
        inFlight = null;
        try {
            f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a flush", e);
        }
    }

    @Override
    public void close() {
        flusher.shutdownNow();
    }
}

package io.clfs.streams.app;

import io.clfs.connect.envelope.EnvelopeFormatException;
import io.clfs.log.ClfsException;
import io.clfs.log.ClfsIOException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * What to do when a stream thread dies of an exception: replace it, unless a new thread would die
 * of the same thing. Errors that no retry cures (bad configuration, a record that is not a replay
 * record, a corrupt or full journal, a journal locked by another process) shut the application
 * down at once; others (broker trouble, an I/O error on the journal, which reopens when its tasks
 * restart) replace the thread, at most {@code max} times within {@code windowMs}, after which the
 * application shuts down rather than spin.
 */
final class ThreadFailurePolicy implements StreamsUncaughtExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadFailurePolicy.class);
    private final int max;
    private final long windowMs;
    private final LongSupplier clock;
    private final Deque<Long> replacements = new ArrayDeque<>();

    ThreadFailurePolicy(int max, long windowMs, LongSupplier clock) {
        this.max = max;
        this.windowMs = windowMs;
        this.clock = clock;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        Throwable fatal = fatalCause(exception);
        if (fatal != null) {
            LOG.error("A stream thread died of an error that a new thread would hit again ({}): shutting down",
                    fatal.getMessage(), exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        long now = clock.getAsLong();
        while (!replacements.isEmpty() && now - replacements.peekFirst() >= windowMs) {
            replacements.removeFirst();
        }
        if (replacements.size() >= max) {
            LOG.error("A stream thread died; {} threads were already replaced within {} ms: shutting down",
                    replacements.size(), windowMs, exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        LOG.warn("A stream thread died; replacing it ({} of at most {} within {} ms)", replacements.size(), max,
                windowMs, exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** The exception in the cause chain that retrying cannot cure, or null. */
    static Throwable fatalCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConfigException || t instanceof InvalidReplayRecordException
                    || t instanceof EnvelopeFormatException
                    || (t instanceof ClfsException && !(t instanceof ClfsIOException))) {
                return t;
            }
        }
        return null;
    }
}

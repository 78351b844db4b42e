package io.clfs.tool;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogStream;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * The verbs that move one of a stream's tails to a record's LSN and print the stream's tails.
 * Each says how it opens the log (as the writer, or beside one) and which tail it moves.
 */
abstract class TailCommand extends Verb {
    @Mixin
    LogDir log;

    @Parameters(index = "1", paramLabel = "LSN", converter = LsnConverter.class, description = "A record's LSN.")
    long lsn;

    @Mixin
    StreamOption stream;

    /** The log, opened as this verb needs it. */
    abstract ClfsLog open();

    /** Moves this verb's tail of the selected stream of {@code log} to {@link #lsn}; returns the stream. */
    abstract LogStream moveTail(ClfsLog log);

    @Override
    final int run() {
        try (ClfsLog opened = open()) {
            Text.tails(out(), moveTail(opened));
        }
        return ClfsTool.OK;
    }
}

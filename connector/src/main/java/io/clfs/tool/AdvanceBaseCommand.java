package io.clfs.tool;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code clfs advance-base}: needs the writer, as the base LSN is the client's own recovery point. */
@Command(name = "advance-base",
        description = "Moves the stream's base LSN forward to the record at LSN. Needs the log's writer lock."
                + " Prints the stream's tails.")
final class AdvanceBaseCommand extends Verb {
    @Mixin
    LogDir log;

    @Parameters(index = "1", paramLabel = "LSN", converter = LsnConverter.class, description = "A record's LSN.")
    long lsn;

    @Mixin
    StreamOption stream;

    @Override
    int run() {
        try (ClfsLog writer = log.openWriter()) {
            LogStream s = stream.existing(writer);
            s.advanceBase(lsn);
            Text.tails(out(), s);
        }
        return ClfsTool.OK;
    }
}

package io.clfs.tool;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogStream;
import picocli.CommandLine.Command;

/** {@code clfs advance-base}: needs the writer, as the base LSN is the client's own recovery point. */
@Command(name = "advance-base",
        description = "Moves the stream's base LSN forward to the record at LSN. Needs the log's writer lock."
                + " Prints the stream's tails.")
final class AdvanceBaseCommand extends TailCommand {
    @Override
    ClfsLog open() {
        return log.openWriter();
    }

    @Override
    LogStream moveTail(ClfsLog writer) {
        LogStream s = stream.existing(writer);
        s.advanceBase(lsn);
        return s;
    }
}

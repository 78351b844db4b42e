package io.clfs.tool;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogStream;
import picocli.CommandLine.Command;

/** {@code clfs set-archive-tail}: read-only open, so that an archiver runs beside a live writer. */
@Command(name = "set-archive-tail",
        description = "Moves the stream's archive tail forward to the record at LSN. Works while another"
                + " process holds the writer. Prints the stream's tails.")
final class SetArchiveTailCommand extends TailCommand {
    @Override
    ClfsLog open() {
        return log.openReader();
    }

    @Override
    LogStream moveTail(ClfsLog reader) {
        LogStream s = stream.of(reader);
        s.setArchiveTail(lsn);
        return s;
    }
}

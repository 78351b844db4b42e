package io.clfs.tool;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code clfs set-archive-tail}: read-only open, so that an archiver runs beside a live writer. */
@Command(name = "set-archive-tail",
        description = "Moves the stream's archive tail forward to the record at LSN. Works while another"
                + " process holds the writer. Prints the stream's tails.")
final class SetArchiveTailCommand extends Verb {
    @Mixin
    LogDir log;

    @Parameters(index = "1", paramLabel = "LSN", converter = LsnConverter.class, description = "A record's LSN.")
    long lsn;

    @Mixin
    StreamOption stream;

    @Override
    int run() {
        try (ClfsLog reader = log.openReader()) {
            LogStream s = stream.of(reader);
            s.setArchiveTail(lsn);
            Text.tails(out(), s);
        }
        return ClfsTool.OK;
    }
}

package io.clfs.tool;

import io.clfs.log.ClfsLog;
import io.clfs.log.InvalidTailMoveException;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import io.clfs.log.LsnBelowTailsException;
import io.clfs.log.NotARecordException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** {@code clfs write-restart}: a restart record (checkpoint), optionally moving the base LSN with it. */
@Command(name = "write-restart",
        description = "Appends a restart record holding TEXT, makes it durable and records it in the metadata,"
                + " optionally moving the base LSN in the same step. Prints the stream's tails.")
final class WriteRestartCommand extends Verb {
    @Mixin
    LogDir log;

    @Mixin
    StreamOption stream;

    @Option(names = "--data", paramLabel = "TEXT", defaultValue = "",
            description = "The restart record's bytes, as UTF-8 (default: empty).")
    String data;

    @Option(names = "--base", paramLabel = "LSN", converter = LsnConverter.class,
            description = "Move the base LSN to this record too.")
    Long base;

    @Override
    int run() {
        try (ClfsLog writer = log.openWriter()) {
            LogStream s = stream.of(writer);
            if (base != null) {
                checkNewBase(s, base);
            }
            ByteBuffer bytes = ByteBuffer.wrap(data.getBytes(StandardCharsets.UTF_8));
            if (base == null) {
                s.writeRestartArea(bytes);
            } else {
                s.writeRestartArea(bytes, base);
            }
            Text.tails(out(), s);
        }
        return ClfsTool.OK;
    }

    /**
     * The engine checks the new base only after it has appended and flushed the restart record, so
     * a refused base would leave a restart record behind that the metadata does not know: check first.
     */
    private static void checkNewBase(LogStream s, long base) {
        if (Lsn.less(base, s.baseLsn())) {
            throw new InvalidTailMoveException("base LSN of stream '" + s.name() + "' only moves forward: it is "
                    + Lsn.toString(s.baseLsn()) + ", asked for " + Lsn.toString(base));
        }
        try {
            s.read(base);
        } catch (NotARecordException | LsnBelowTailsException e) {
            throw new InvalidTailMoveException("cannot move the base LSN of stream '" + s.name() + "' to "
                    + Lsn.toString(base) + ": " + e.getMessage());
        }
    }
}

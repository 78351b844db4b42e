package io.clfs.tool;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * {@code clfs append}: each line of standard input becomes a data record. An LSN is printed only
 * after a flush has made its record durable, so a script may treat every printed LSN as acknowledged.
 * While more input is waiting, a full batch is flushed and printed by {@link Acknowledgements} in the
 * background as the next batch is read; before a read that may block, everything appended is printed.
 */
@Command(name = "append",
        description = {"Appends each line of standard input (without its line end, LF or CRLF) as one data record,"
                + " and prints each record's LSN, one per line, once the record is durable.",
                "A flush (one fsync) makes the pending records durable after every N records (--flush-every),"
                        + " whenever no further complete line is waiting, and at the end of input: so an LSN never waits"
                        + " for input that has not arrived. In a multiplexed log a new --stream is created by"
                        + " its first record."})
final class AppendCommand extends Verb {
    @Mixin
    LogDir log;

    @Mixin
    StreamOption stream;

    @Option(names = "--flush-every", paramLabel = "N", defaultValue = "1000",
            description = "Flush after at most N records (default ${DEFAULT-VALUE}; 1 = one fsync per record).")
    int flushEvery;

    @Override
    int run() throws Exception {
        if (flushEvery < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--flush-every must be at least 1, not " + flushEvery);
        }
        LineInput lines = new LineInput(in());
        try (ClfsLog writer = log.openWriter(); Acknowledgements pending = new Acknowledgements(writer::flush, out())) {
            String name = stream.nameIn(writer);
            LogStream s = null;
            try {
                for (ByteBuffer record; (record = lines.next()) != null; ) {
                    if (s == null) {
                        s = writer.stream(name); // only now: a new stream appears with its first record
                    }
                    pending.add(s.append(record));
                    if (pending.count() >= flushEvery) {
                        pending.handOff();
                    }
                    if (!lines.waiting()) {
                        pending.finish(); // the next read may block: what was appended is printed first
                    }
                }
            } catch (IOException | RuntimeException e) {
                // What was appended before the failure is still acknowledged, so the output says how far it got.
                try {
                    pending.finish();
                } catch (RuntimeException flushFailed) {
                    e.addSuppressed(flushFailed);
                }
                throw e;
            }
            pending.finish();
        }
        return ClfsTool.OK;
    }
}

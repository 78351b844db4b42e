package io.clfs.tool;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;

/**
 * {@code clfs append}: each line of standard input becomes a data record. An LSN is printed only
 * after a flush has made its record durable, so a script may treat every printed LSN as acknowledged.
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
        try (ClfsLog writer = log.openWriter()) {
            String name = stream.nameIn(writer);
            LogStream s = null;
            Acknowledgements pending = new Acknowledgements(out());
            try {
                for (ByteBuffer record; (record = lines.next()) != null; ) {
                    if (s == null) {
                        s = writer.stream(name); // only now: a new stream appears with its first record
                    }
                    pending.add(s.append(record));
                    if (pending.count() >= flushEvery || !lines.waiting()) {
                        pending.acknowledge(writer);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // What was appended before the failure is still acknowledged, so the output says how far it got.
                try {
                    pending.acknowledge(writer);
                } catch (RuntimeException flushFailed) {
                    e.addSuppressed(flushFailed);
                }
                throw e;
            }
            pending.acknowledge(writer);
        }
        return ClfsTool.OK;
    }

    /**
     * The LSNs appended since the last flush. Their text is kept here, not in {@code out}, whose
     * buffers may reach standard output before the flush: it is written, in one go, only after the
     * flush that makes them durable.
     */
    private static final class Acknowledgements {
        private final PrintWriter out;
        private final StringBuilder text = new StringBuilder();
        private long last;
        private int count;

        Acknowledgements(PrintWriter out) {
            this.out = out;
        }

        void add(long lsn) {
            text.append(Lsn.toString(lsn)).append(System.lineSeparator());
            last = lsn;
            count++;
        }

        int count() {
            return count;
        }

        void acknowledge(ClfsLog writer) {
            if (count == 0) {
                return;
            }
            writer.flush(last);
            out.append(text).flush();
            text.setLength(0);
            count = 0;
        }
    }
}

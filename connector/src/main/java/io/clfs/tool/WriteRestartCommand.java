package io.clfs.tool;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogStream;
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
}

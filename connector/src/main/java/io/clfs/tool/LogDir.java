package io.clfs.tool;

import io.clfs.log.ClfsLog;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** The LOG argument every verb starts with: the log's directory. */
final class LogDir {
    @Parameters(index = "0", paramLabel = "LOG", description = "The log's directory.")
    Path dir;

    /** As the one writer: fails at once while another process or this one holds the log. */
    ClfsLog openWriter() {
        return ClfsLog.open(dir);
    }

    /** Beside a writer, if there is one. */
    ClfsLog openReader() {
        return ClfsLog.openReadOnly(dir);
    }
}

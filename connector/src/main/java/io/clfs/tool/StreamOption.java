package io.clfs.tool;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogKind;
import io.clfs.log.LogStream;
import picocli.CommandLine.Option;

/** {@code --stream S}: a stream of a multiplexed log; a dedicated log's one stream needs no name. */
final class StreamOption {
    @Option(names = "--stream", paramLabel = "S",
            description = "The stream of a multiplexed log. A dedicated log has one stream, '"
                    + ClfsLog.DEFAULT_STREAM + "', the default.")
    String name;

    /** The stream this option selects in {@code log}; a writer creates a new stream of a multiplexed log. */
    LogStream of(ClfsLog log) {
        return log.stream(nameIn(log));
    }

    /** The stream this option selects, which must exist already: verbs that only move tails create none. */
    LogStream existing(ClfsLog log) {
        String n = nameIn(log);
        if (!log.streamNames().contains(n)) {
            throw new IllegalArgumentException("log " + log.dir() + " has no stream '" + n + "'");
        }
        return log.stream(n);
    }

    /** The selected stream's name, checked against the log's kind before anything is read or written. */
    String nameIn(ClfsLog log) {
        if (name != null) {
            if (log.kind() == LogKind.DEDICATED && !name.equals(ClfsLog.DEFAULT_STREAM)) {
                log.stream(name); // refused, with the engine's message naming the one stream
            }
            return name;
        }
        if (log.kind() == LogKind.MULTIPLEXED) {
            throw new IllegalArgumentException("log " + log.dir() + " is multiplexed: name a stream with --stream");
        }
        return ClfsLog.DEFAULT_STREAM;
    }
}

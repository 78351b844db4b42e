package io.clfs.bench.e2e;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Waits until the sink has released every record it journaled (each log's base LSN is past its last
 * data record), so that the replay that follows is timed on all of them and not on the sink's
 * release cadence. Reads the logs as a second opener: only metadata and the log's end.
 */
final class JournalRelease {
    private JournalRelease() {
    }

    static void await(Path logDir, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Path> held = logs(logDir).stream().filter(JournalRelease::holdsUnreleased).toList();
            if (held.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the sink had not released every record after " + timeout.toSeconds()
                        + " s; still held in " + held);
            }
            Thread.sleep(200);
        }
    }

    private static List<Path> logs(Path logDir) throws IOException {
        try (Stream<Path> dirs = Files.list(logDir)) {
            return dirs.filter(d -> Files.exists(d.resolve("clfs.meta"))).sorted().toList();
        }
    }

    private static boolean holdsUnreleased(Path log) {
        try (ClfsLog reader = ClfsLog.openReadOnly(log)) {
            LogStream s = reader.stream();
            long last = s.lastDataLsn();
            return last != Lsn.INVALID && !Lsn.less(last, s.baseLsn());
        }
    }
}

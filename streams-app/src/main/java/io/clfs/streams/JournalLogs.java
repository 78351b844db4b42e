package io.clfs.streams;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogKind;
import io.clfs.log.LogPolicy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The open journal logs of this JVM, shared by every task's store instance. A log has one writer
 * (a file lock), while Streams runs many tasks on several threads: they share one open log per
 * directory, each task writing its own streams, so that one fsync covers them all. The log is
 * opened by the first store that needs it and closed when the last one lets it go.
 */
final class JournalLogs {
    private static final Map<Path, Shared> OPEN = new HashMap<>();

    private static final class Shared {
        final ClfsLog log;
        int users;

        Shared(ClfsLog log) {
            this.log = log;
        }
    }

    private JournalLogs() {
    }

    /** Opens (creating it when missing) the multiplexed log in {@code dir}, or shares the one already open. */
    static synchronized ClfsLog acquire(Path dir, boolean archive, LogPolicy policy) {
        Path key = dir.toAbsolutePath().normalize();
        Shared s = OPEN.get(key);
        if (s == null) {
            s = new Shared(open(key, archive, policy));
            OPEN.put(key, s);
        }
        s.users++;
        return s.log;
    }

    private static ClfsLog open(Path dir, boolean archive, LogPolicy policy) {
        if (!ClfsLog.exists(dir)) {
            return ClfsLog.create(dir, LogKind.MULTIPLEXED, archive, policy);
        }
        ClfsLog log = ClfsLog.open(dir);
        if (log.kind() != LogKind.MULTIPLEXED) {
            log.close();
            throw new IllegalStateException("the log in " + dir + " is " + log.kind()
                    + ": a journal store needs a multiplexed log (one stream per input partition); choose another directory");
        }
        // Container and block size are fixed at creation; the other policies follow the configuration.
        LogPolicy wanted = policy.withContainerSize(log.policy().containerSize()).withBlockSize(log.policy().blockSize());
        if (!wanted.equals(log.policy())) {
            log.setPolicy(wanted);
        }
        return log;
    }

    static synchronized void release(ClfsLog log) {
        Path key = log.dir().toAbsolutePath().normalize();
        Shared s = OPEN.get(key);
        if (s == null || s.log != log) {
            return;
        }
        if (--s.users == 0) {
            OPEN.remove(key);
            log.close();
        }
    }
}

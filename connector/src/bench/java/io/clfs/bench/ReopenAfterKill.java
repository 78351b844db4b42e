package io.clfs.bench;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogKind;
import io.clfs.log.LogPolicy;
import io.clfs.log.LogStream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Opening many logs after their writer was killed (SIGKILL, no clean close): a child JVM writes
 * {@code logs} logs, each with a restart area after most of its records and a few records after
 * it, all flushed, and is killed while it holds them open; then this JVM opens every log as a
 * writer and reads its restart area, as a sink task does. Prints the time and the bytes this
 * process read meanwhile (rchar of /proc/self/io) against the bytes the logs hold: recovery reads
 * from the restart area on, not whole logs. Run with
 * {@code java -cp <bench test class path> io.clfs.bench.ReopenAfterKill [logs]}.
 */
public final class ReopenAfterKill {
    private static final int RECORD = 1024;
    private static final int BEFORE_RESTART = 512;
    private static final int AFTER_RESTART = 16;

    private ReopenAfterKill() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--write")) {
            writeAndWait(Path.of(args[1]));
            return;
        }
        int logs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path root = TempDirs.create("clfs-bench-reopen-");
        try {
            Files.writeString(root.resolve("count"), Integer.toString(logs));
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), ReopenAfterKill.class.getName(),
                    "--write", root.toString()).redirectErrorStream(true).start();
            // the child writes the logs and then waits, writers open; its line says what it wrote
            String line = new BufferedReader(new InputStreamReader(child.getInputStream())).readLine();
            if (line == null || !line.startsWith("ready")) {
                throw new IllegalStateException("the writer JVM said " + line);
            }
            child.destroyForcibly(); // SIGKILL
            child.waitFor(60, TimeUnit.SECONDS);
            long onDisk = TempDirs.bytesUnder(root);
            long read0 = rchar();
            long t0 = System.nanoTime();
            List<ClfsLog> open = new ArrayList<>();
            try {
                for (int i = 0; i < logs; i++) {
                    ClfsLog log = ClfsLog.open(root.resolve("log-" + i));
                    open.add(log);
                    if (log.stream().readRestartArea() == null) {
                        throw new IllegalStateException("log-" + i + " lost its restart area");
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                long read = rchar() - read0;
                System.out.printf("%s; %d logs opened as writer after SIGKILL in %.2f s (%.1f ms each);"
                                + " read %,d bytes while the logs hold %,d (%.1f%%)%n", line, logs, seconds,
                        seconds * 1000 / logs, read, onDisk, 100.0 * read / onDisk);
            } finally {
                open.forEach(ClfsLog::close);
            }
        } finally {
            TempDirs.delete(root);
        }
    }

    /** The child: writes the logs, says "ready" and waits to be killed with every writer open. */
    private static void writeAndWait(Path root) throws Exception {
        int logs = Integer.parseInt(Files.readString(root.resolve("count")).trim());
        ByteBuffer record = ByteBuffer.wrap(new byte[RECORD]);
        List<ClfsLog> open = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < logs; i++) {
            ClfsLog log = ClfsLog.create(root.resolve("log-" + i), LogKind.DEDICATED, true, LogPolicy.defaults());
            open.add(log);
            LogStream s = log.stream();
            for (int r = 0; r < BEFORE_RESTART; r++) {
                s.append(record.duplicate());
            }
            s.writeRestartArea(ByteBuffer.wrap(new byte[64]));
            for (int r = 0; r < AFTER_RESTART; r++) {
                s.append(record.duplicate());
            }
            s.flush(s.lastLsn());
        }
        System.out.printf("ready: %d logs of %d records of %d B (restart area after %d) written in %.1f s%n", logs,
                BEFORE_RESTART + AFTER_RESTART, RECORD, BEFORE_RESTART, (System.nanoTime() - t0) / 1e9);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // killed here
    }

    private static long rchar() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (l.startsWith("rchar:")) {
                return Long.parseLong(l.substring(6).trim());
            }
        }
        throw new IOException("no rchar in /proc/self/io");
    }
}

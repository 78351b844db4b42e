package io.clfs.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a sink pipeline left the worker holding when it was done (issue #14 item 4): the disk its
 * logs take ({@code du}), the worker's open files under the log directory per partition
 * ({@code /proc/<pid>/fd}), and the worker's heap after a full GC above the same worker idle
 * ({@code jcmd GC.run}, then {@code GC.heap_info}).
 */
record WorkerUse(long diskKiB, double openFilesPerPartition, long heapAboveIdleKiB) {
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    static WorkerUse sample(long pid, Path logDir, int partitions, long idleHeapKiB)
            throws IOException, InterruptedException {
        return new WorkerUse(duKiB(logDir), (double) openFilesUnder(pid, logDir) / partitions,
                heapAfterGcKiB(pid) - idleHeapKiB);
    }

    String describe() {
        return String.format("logs %,d KiB on disk, %.2f open files per partition, heap +%,d MiB above idle",
                diskKiB, openFilesPerPartition, heapAboveIdleKiB >> 10);
    }

    /** The worker's heap in use after a full collection. */
    static long heapAfterGcKiB(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        Matcher m = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        if (!m.find()) {
            throw new IllegalStateException("no heap figure in jcmd " + pid + " GC.heap_info");
        }
        return Long.parseLong(m.group(1));
    }

    private static long openFilesUnder(long pid, Path dir) throws IOException {
        Path real = dir.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).startsWith(real);
                } catch (IOException e) {
                    return false; // closed since it was listed
                }
            }).count();
        }
    }

    private static long duKiB(Path dir) throws IOException, InterruptedException {
        return Long.parseLong(run("du", "-sk", dir.toString()).split("\\s+")[0]);
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        return run(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid), command);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}

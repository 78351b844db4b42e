package io.clfs.bench;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogKind;
import io.clfs.log.LogPolicy;
import io.clfs.log.LogStream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * What filling containers ahead in 1 MiB chunks costs in steady state against containers zero-filled
 * whole beforehand (as every new container was before 2026-12): 100 B records flushed every 64
 * records into the first container of a new log, the two layouts in paired rounds whose order
 * alternates, since the disk is shared. Also prints the disk a new, empty log takes. Run with
 * {@code java -cp <bench test class path> io.clfs.bench.PreallocationProbe [rounds]}.
 */
public final class PreallocationProbe {
    private static final int RECORD = 100;
    private static final int FLUSH_EVERY = 64;
    /** Records that fill most of the first 8 MiB container, so the log neither grows nor switches. */
    private static final int RECORDS = 48_000;

    private PreallocationProbe() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        Path root = TempDirs.create("clfs-bench-prealloc-");
        try {
            Path empty = root.resolve("empty");
            ClfsLog.create(empty, LogKind.DEDICATED, true, LogPolicy.defaults()).close();
            System.out.printf("new empty log: %d KiB apparent, %s KiB allocated (du -sk)%n",
                    TempDirs.bytesUnder(empty) >> 10, du(empty));
            double[] sum = new double[2];
            for (int r = 0; r < rounds; r++) {
                double[] rate = new double[2];
                for (int i = 0; i < 2; i++) {
                    boolean whole = (r + i) % 2 == 0;
                    Path dir = root.resolve("r" + r + (whole ? "-whole" : "-chunks"));
                    rate[whole ? 1 : 0] = flushesPerSecond(dir, whole);
                }
                System.out.printf("round %d: chunks %.0f flushes/s, whole %.0f flushes/s, ratio %.2f%n", r, rate[0],
                        rate[1], rate[0] / rate[1]);
                sum[0] += rate[0];
                sum[1] += rate[1];
            }
            System.out.printf("mean: chunks %.0f flushes/s, whole %.0f flushes/s, ratio %.2f%n", sum[0] / rounds,
                    sum[1] / rounds, sum[0] / sum[1]);
        } finally {
            TempDirs.delete(root);
        }
    }

    private static double flushesPerSecond(Path dir, boolean zeroFillWhole) throws IOException {
        ClfsLog.create(dir, LogKind.DEDICATED, false, LogPolicy.defaults()).close();
        if (zeroFillWhole) {
            for (Path container : containers(dir)) {
                zeroFill(container, LogPolicy.DEFAULT_CONTAINER_SIZE);
            }
        }
        ByteBuffer record = ByteBuffer.wrap(new byte[RECORD]);
        try (ClfsLog log = ClfsLog.open(dir)) {
            LogStream s = log.stream();
            long t0 = System.nanoTime();
            for (int i = 1; i <= RECORDS; i++) {
                s.append(record.duplicate());
                if (i % FLUSH_EVERY == 0) {
                    s.flush(s.lastLsn());
                }
            }
            return RECORDS / FLUSH_EVERY / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static void zeroFill(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long at = ch.size(); at < size; at += zeros.capacity()) {
                ch.write(zeros.clear().limit((int) Math.min(zeros.capacity(), size - at)), at);
            }
            ch.force(true);
        }
    }

    private static List<Path> containers(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("container-")).toList();
        }
    }

    private static String du(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("du", "-sk", dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return out.split("\\s+")[0];
    }
}

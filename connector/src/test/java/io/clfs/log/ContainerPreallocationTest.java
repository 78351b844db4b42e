package io.clfs.log;

import io.clfs.log.format.Layout;
import io.clfs.log.io.DelegatingFileIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A new log holds only short container prefixes; the containers grow by chunks as the log writes there. */
class ContainerPreallocationTest {
    private static final long CHUNK = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void anEmptyLogTakesAtMostTwoMebibytes() throws IOException {
        ClfsLog.create(dir, LogKind.DEDICATED, false, LogPolicy.defaults()).close();

        assertThat(bytesIn(dir)).isLessThanOrEqualTo(2L << 20);
    }

    /** What preallocation buys: most fsyncs find the file size unchanged, so only the data goes to the disk. */
    @Test
    void mostFlushesForceNoSizeChange() throws IOException {
        SizeAtForce io = new SizeAtForce();
        int flushes = 0;
        try (ClfsLog log = ClfsLog.create(io, dir, LogKind.DEDICATED, false, LogPolicy.defaults())) {
            byte[] record = new byte[1000];
            for (int i = 0; i < 12_000; i++) {
                log.stream().append(record);
                if (i % 50 == 49) {
                    log.flush();
                    flushes++;
                }
            }
        }
        // 12 MB over two 8 MiB containers: at most one size change per MiB written, not one per flush
        assertThat(io.forcesWithNewSize).isBetween(1, 14);
        assertThat(io.forces).isGreaterThanOrEqualTo(flushes);
    }

    /** A container shorter than the container size reads as ending where the file ends, after a reopen too. */
    @Test
    void aShortContainerReopensWithEveryRecord() {
        int records = 3000;
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, false, LogPolicy.defaults())) {
            for (int i = 0; i < records; i++) {
                log.stream().append(("record-" + i).getBytes());
            }
            log.flush();
        }
        assertThat(containerSizes()).anyMatch(size -> size < LogPolicy.DEFAULT_CONTAINER_SIZE);
        for (ClfsLog log : new ClfsLog[]{ClfsLog.openReadOnly(dir), ClfsLog.open(dir)}) {
            try (log) {
                ReadContext ctx = log.stream().readFromTail(RecordFilter.DATA);
                int n = 0;
                for (LogRecord r = ctx.next(); r != null; r = ctx.next()) {
                    assertThat(new String(r.bytes())).isEqualTo("record-" + n++);
                }
                assertThat(n).isEqualTo(records);
            }
        }
    }

    /** The spare container of a new log is a header only; the log fills it when it moves there, and reopens whole. */
    @Test
    void aNewLogsSpareHoldsItsHeaderUntilTheLogWritesThere() {
        LogPolicy policy = LogPolicy.defaults().withContainerSize(LogPolicy.MIN_CONTAINER_SIZE);
        ClfsLog.create(dir, LogKind.DEDICATED, false, policy).close();
        assertThat(containerSizes()).containsExactlyInAnyOrder(256L << 10, (long) Layout.CONTAINER_HEADER_SIZE);

        int records = 1000;
        try (ClfsLog log = ClfsLog.open(dir)) {
            for (int i = 0; i < records; i++) {
                log.stream().append(("record-" + i + "-".repeat(600)).getBytes());
            }
            log.flush();
        }
        assertThat(containerSizes()).as("both containers written to their end")
                .allMatch(size -> size == LogPolicy.MIN_CONTAINER_SIZE);
        try (ClfsLog log = ClfsLog.open(dir)) {
            ReadContext ctx = log.stream().readFromTail(RecordFilter.DATA);
            int n = 0;
            for (LogRecord r = ctx.next(); r != null; r = ctx.next()) {
                assertThat(new String(r.bytes())).startsWith("record-" + n++ + "-");
            }
            assertThat(n).isEqualTo(records);
        }
    }

    private Stream<Long> containerSizes() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("container-")).map(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long bytesIn(Path dir) throws IOException {
        long sum = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                sum += Files.size(p);
            }
        }
        return sum;
    }

    /** Counts the container fsyncs that find the file longer than at its previous fsync. */
    private static final class SizeAtForce extends DelegatingFileIO {
        private final Map<Path, Long> sizeAtLastForce = new HashMap<>();
        int forces;
        int forcesWithNewSize;

        @Override
        protected synchronized void beforeForce(Path file) throws IOException {
            if (!file.getFileName().toString().startsWith("container-")) {
                return;
            }
            long size = Files.size(file);
            Long before = sizeAtLastForce.put(file, size);
            forces++;
            if (before != null && before != size) {
                forcesWithNewSize++;
            }
            assertThat(size % CHUNK == 0 || size == (256 << 10) || size == Layout.CONTAINER_HEADER_SIZE)
                    .as("size %d of %s", size, file).isTrue();
        }
    }
}

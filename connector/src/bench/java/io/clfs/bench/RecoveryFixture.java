package io.clfs.bench;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogKind;
import io.clfs.log.LogPolicy;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;

/**
 * A 1 GiB log as a writer that died would leave it: the files are copied while the writer is still
 * open, after a flush. A clean {@code close()} would write a checkpoint at the end and hide what
 * recovery has to scan, so the writer is only closed after the copy.
 *
 * <p>Opening as the writer rewrites the metadata (new owner epoch, and a checkpoint on close), so
 * {@link #reset()} puts the crash-time metadata back before every open; the containers are not
 * changed by an open and close without appends.
 */
final class RecoveryFixture implements AutoCloseable {
    static final long LOG_BYTES = 1L << 30;
    /** Records written after the restart area: "near the end" is the last 4 MiB of 1 GiB. */
    static final long AFTER_RESTART_BYTES = 4L << 20;
    static final int RECORD_SIZE = 1024;
    static final int FLUSH_EVERY = 4096;
    /** 8 MiB containers; 1 GiB of records with their headers needs about 133 of them. */
    static final LogPolicy POLICY = LogPolicy.defaults().withContainers(2, 160);

    private final Path root;
    private final Path dir;
    private final Path pristineMeta;
    private final long lastLsn;

    private RecoveryFixture(Path root, Path dir, Path pristineMeta, long lastLsn) {
        this.root = root;
        this.dir = dir;
        this.pristineMeta = pristineMeta;
        this.lastLsn = lastLsn;
    }

    /** Builds the crash image, with a restart area near its end or with none at all. */
    static RecoveryFixture build(boolean restartNearEnd) throws IOException {
        Path root = TempDirs.create("clfs-bench-recovery-");
        Path live = root.resolve("live");
        Path image = root.resolve("image");
        long last;
        try (ClfsLog log = ClfsLog.create(live, LogKind.DEDICATED, true, POLICY)) {
            LogStream s = log.stream();
            byte[] bytes = new byte[RECORD_SIZE];
            new Random(7).nextBytes(bytes);
            ByteBuffer record = ByteBuffer.wrap(bytes);
            if (restartNearEnd) {
                write(s, record, LOG_BYTES - AFTER_RESTART_BYTES);
                s.writeRestartArea(ByteBuffer.wrap(new byte[64]));
                write(s, record, AFTER_RESTART_BYTES);
            } else {
                write(s, record, LOG_BYTES);
            }
            last = s.lastLsn();
            s.flush(last);
            TempDirs.copyFiles(live, image);
        }
        TempDirs.delete(live);
        Path pristine = root.resolve("clfs.meta.at-crash");
        Files.copy(image.resolve("clfs.meta"), pristine);
        RecoveryFixture f = new RecoveryFixture(root, image, pristine, last);
        f.check();
        return f;
    }

    private static void write(LogStream s, ByteBuffer record, long payloadBytes) {
        long last = Lsn.INVALID;
        for (long n = 1; n <= payloadBytes / RECORD_SIZE; n++) {
            last = s.append(record);
            if (n % FLUSH_EVERY == 0) {
                s.flush(last);
            }
        }
    }

    /** Recovery must find every flushed record, or the benchmark would time the wrong thing. */
    private void check() throws IOException {
        reset();
        try (ClfsLog log = ClfsLog.open(dir)) {
            long found = log.stream().lastLsn();
            if (found != lastLsn) {
                throw new IllegalStateException("recovery of " + dir + " ended at " + Lsn.toString(found)
                        + ", expected the last flushed record " + Lsn.toString(lastLsn));
            }
        }
        reset();
    }

    /** Puts the metadata back as the crashed writer left it. */
    void reset() throws IOException {
        Files.copy(pristineMeta, dir.resolve("clfs.meta"), StandardCopyOption.REPLACE_EXISTING);
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        TempDirs.delete(root);
    }
}

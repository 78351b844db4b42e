package io.clfs.connect.sink;

import io.clfs.log.io.FileHandle;
import io.clfs.log.io.FileIO;
import io.clfs.log.io.LockHandle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The real disk, until {@link #fail} is set: then every write and fsync fails, as on a dying disk.
 * With {@link #together} set, each fsync waits until that many fsyncs are under way at once: a
 * caller that flushes logs one after another never gets there and fails.
 */
final class FailingDisk implements FileIO {
    volatile boolean fail;
    volatile CountDownLatch together;

    @Override
    public FileHandle open(Path file, Mode mode) throws IOException {
        FileHandle real = FileIO.real().open(file, mode);
        return new FileHandle() {
            @Override
            public Path path() {
                return real.path();
            }

            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                return real.read(dst, position);
            }

            @Override
            public void write(ByteBuffer src, long position) throws IOException {
                check();
                real.write(src, position);
            }

            @Override
            public void force() throws IOException {
                check();
                awaitTogether();
                real.force();
            }

            @Override
            public long size() throws IOException {
                return real.size();
            }

            @Override
            public void close() throws IOException {
                real.close();
            }
        };
    }

    private void awaitTogether() throws IOException {
        CountDownLatch latch = together;
        if (latch == null) {
            return;
        }
        latch.countDown();
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IOException("fsyncs were not concurrent: " + latch.getCount() + " more never came");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private void check() throws IOException {
        if (fail) {
            throw new IOException("Input/output error (injected)");
        }
    }

    @Override
    public boolean exists(Path path) {
        return FileIO.real().exists(path);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return FileIO.real().list(dir);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        FileIO.real().createDirectories(dir);
    }

    @Override
    public void delete(Path file) throws IOException {
        FileIO.real().delete(file);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        check();
        FileIO.real().syncDirectory(dir);
    }

    @Override
    public LockHandle lock(Path lockFile, boolean wait) throws IOException {
        return FileIO.real().lock(lockFile, wait);
    }
}

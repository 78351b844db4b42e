package io.clfs.connect.sink;

import io.clfs.log.io.DelegatingFileIO;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The real disk, until {@link #fail} is set: then every write and fsync fails, as on a dying disk.
 * With {@link #together} set, each fsync waits until that many fsyncs are under way at once: a
 * caller that flushes logs one after another never gets there and fails.
 */
final class FailingDisk extends DelegatingFileIO {
    volatile boolean fail;
    volatile CountDownLatch together;

    @Override
    protected void beforeWrite(Path file) throws IOException {
        check();
    }

    @Override
    protected void beforeForce(Path file) throws IOException {
        check();
        awaitTogether();
    }

    @Override
    protected void beforeSyncDirectory(Path dir) throws IOException {
        check();
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
}

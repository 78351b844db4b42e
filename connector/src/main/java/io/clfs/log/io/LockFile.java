package io.clfs.log.io;

import java.io.Closeable;
import java.io.IOException;

/** A lock file taken and released many times, as {@link FileIO#lock(java.nio.file.Path, boolean)} takes it once. */
public interface LockFile extends Closeable {
    /** Waits for the exclusive lock; closing the handle releases it. */
    LockHandle acquire() throws IOException;

    /** Releases the file; no hold may be open. */
    @Override
    void close() throws IOException;
}

package io.clfs.log.io;

import java.io.Closeable;
import java.io.IOException;

/** A held file lock; closing releases it. */
public interface LockHandle extends Closeable {
    @Override
    void close() throws IOException;
}

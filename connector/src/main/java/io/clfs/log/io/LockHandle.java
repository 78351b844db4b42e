package io.clfs.log.io;

import java.io.Closeable;
import java.io.IOException;

/** A held file lock; closing releases it. */
public interface LockHandle extends Closeable {
    @Override
    void close() throws IOException;

    /**
     * Whether the locked file still has its name: false once a takeover replaced it
     * ({@link FileIO#lockReplacing}), when this hold excludes no one any more. One {@code stat}.
     */
    default boolean stillNamed() throws IOException {
        return true;
    }
}

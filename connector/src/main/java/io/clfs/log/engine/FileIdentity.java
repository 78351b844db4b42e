package io.clfs.log.engine;

import io.clfs.log.io.FileHandle;
import io.clfs.log.io.FileIO;
import io.clfs.log.io.FileReplacedException;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Objects;

/**
 * Checks that a file the writer holds open is still the file its name points to, and no shorter
 * than it must be. A container or metadata file deleted or replaced under a running writer goes on
 * taking its writes and forces, all lost to the next open; a writer that finds this stops before it
 * acknowledges anything more. One {@code stat} per check: a few microseconds, against the hundreds
 * of the fsync it follows (docs/format.md, "File identity").
 *
 * <p>Stateless.
 */
final class FileIdentity {
    private FileIdentity() {
    }

    /** Throws {@link FileReplacedException} naming the file when {@code h} no longer is its name's file. */
    static void check(FileIO io, FileHandle h, long minSize) throws IOException {
        Object named;
        try {
            named = io.fileKey(h.path());
        } catch (NoSuchFileException e) {
            throw new FileReplacedException(h.path(), "deleted while the log had it open");
        }
        if (!Objects.equals(named, h.fileKey())) {
            throw new FileReplacedException(h.path(), "replaced while the log had it open (file key "
                    + h.fileKey() + ", the name now points to " + named + ")");
        }
        long size = h.size();
        if (size < minSize) {
            throw new FileReplacedException(h.path(), "truncated to " + size + " bytes while the log had it open;"
                    + " expected at least " + minSize);
        }
    }
}

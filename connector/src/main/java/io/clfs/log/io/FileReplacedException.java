package io.clfs.log.io;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A file the log holds open is no longer the one its name points to: it was deleted, replaced
 * (another inode under the name) or truncated. Writes into it would be lost to the next open.
 */
public final class FileReplacedException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    public FileReplacedException(Path file, String reason) {
        super(file.toString(), null, reason);
    }
}

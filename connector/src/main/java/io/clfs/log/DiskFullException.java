package io.clfs.log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The file system ran out of space while a container or a new log was being created. It is a full
 * log, not a disk failure: the partial files are gone, nothing acknowledged was touched, and the
 * log takes appends (or the creation may be tried) again once space is freed. The message names the
 * directory and the file.
 */
public class DiskFullException extends LogFullException {
    private static final long serialVersionUID = 1L;

    public DiskFullException(Path dir, Path file, String what, IOException cause) {
        super("no space left on device: " + dir + ": cannot " + what + " " + file.getFileName() + " (" + cause + ")");
        initCause(cause);
    }
}

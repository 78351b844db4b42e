package io.clfs.log.engine;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Recognises ENOSPC. Java has no exception of its own for it: the JDK passes the C library's text
 * through, which is "No space left on device" in the C locale but translated in others, so a
 * failure is also taken for ENOSPC when the file system has less room left than was being taken.
 * Stateless.
 */
final class NoSpace {
    static final String MESSAGE = "No space left on device";

    private NoSpace() {
    }

    /** True when {@code e} (or a cause) is ENOSPC, or {@code dir}'s file system has fewer than {@code needed} bytes left. */
    static boolean causes(IOException e, Path dir, long needed) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(MESSAGE)) {
                return true;
            }
        }
        if (e instanceof FileSystemException && e.getClass() != FileSystemException.class) {
            return false; // a typed cause (the file exists, is missing, is not allowed), not a lack of space
        }
        try {
            return Files.getFileStore(dir).getUsableSpace() < needed;
        } catch (IOException | RuntimeException notARealDirectory) {
            return false; // a simulated disk, or a directory that is gone: only the message counts
        }
    }
}

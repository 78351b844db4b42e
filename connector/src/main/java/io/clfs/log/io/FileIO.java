package io.clfs.log.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Every file operation the engine performs goes through this interface, so that a test can stand
 * in a disk that loses unsynced writes, creations and deletions at a crash point.
 */
public interface FileIO {
    enum Mode { READ, READ_WRITE, CREATE_NEW }

    FileHandle open(Path file, Mode mode) throws IOException;

    boolean exists(Path path);

    /**
     * The identity of the file {@code file} names now (its inode, as
     * {@link java.nio.file.attribute.BasicFileAttributes#fileKey()}), to compare with
     * {@link FileHandle#fileKey()}; {@link java.nio.file.NoSuchFileException} when no file has that name.
     */
    Object fileKey(Path file) throws IOException;

    /** The regular files directly inside {@code dir}, sorted by name. */
    List<Path> list(Path dir) throws IOException;

    void createDirectories(Path dir) throws IOException;

    void delete(Path file) throws IOException;

    /**
     * Gives {@code from} the name {@code to} in one atomic step (replacing a file {@code to} names),
     * so that another process sees either no file or the whole one; durable at the next
     * {@link #syncDirectory} of their directory.
     */
    void rename(Path from, Path to) throws IOException;

    /** Makes creations and deletions of entries in {@code dir} durable. */
    void syncDirectory(Path dir) throws IOException;

    /**
     * Takes an exclusive lock on {@code lockFile} (creating it) against other processes and other
     * holders in this process. Returns null when another holder has it and {@code wait} is false.
     */
    LockHandle lock(Path lockFile, boolean wait) throws IOException;

    /**
     * Takes a lock held by a stalled process over, without waiting: replaces {@code lockFile} with a
     * new file and locks that. The old holder keeps its lock, on a file no name points to any more,
     * and every later locker locks the new one. Returns null when a holder in this process has the
     * lock (a takeover is for another process), when another taker replaced the file at the same
     * time, or when this {@code FileIO} cannot replace a lock file.
     */
    default LockHandle lockReplacing(Path lockFile) throws IOException {
        return null;
    }

    /**
     * Waits up to {@code timeoutMs} for the lock on {@code lockFile}, then takes it over from its
     * holder ({@link #lockReplacing}): a process that stopped while it held the lock would otherwise
     * keep every other waiter out for as long as it is stopped. Waits on without bound for a holder
     * in this process, which is not stalled.
     */
    default LockHandle lockOrTakeOver(Path lockFile, long timeoutMs) throws IOException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        for (;;) {
            LockHandle held = lock(lockFile, false);
            if (held != null) {
                return held;
            }
            if (System.nanoTime() - deadline >= 0) {
                held = lockReplacing(lockFile);
                return held != null ? held : lock(lockFile, true);
            }
            // a metadata lock is held for one write, milliseconds: try again soon
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    static FileIO real() {
        return RealFileIO.INSTANCE;
    }
}

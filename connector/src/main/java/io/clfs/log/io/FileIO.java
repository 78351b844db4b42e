package io.clfs.log.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

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

    static FileIO real() {
        return RealFileIO.INSTANCE;
    }
}

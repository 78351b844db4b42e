package io.clfs.log.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * A disk (any {@link FileIO}, usually a {@link SimulatedDisk}) that runs out of space on demand.
 * {@link #failCreationCall} makes the n-th later call of a file creation (a write or force of a file
 * opened {@code CREATE_NEW}, or a directory sync) fail; with the ENOSPC message, the disk is full
 * from then on: a write that would grow a file fails, as it does on a real full file system, while
 * writes inside a file's size, forces and syncs go on. {@link #free} gives the space back.
 * Thread-safe: the state is guarded by this object's monitor.
 */
public final class NoSpaceDisk implements FileIO {
    public static final String ENOSPC = "No space left on device";

    private final FileIO disk;
    /** Creation calls to go until the injected failure; 0 when none is armed. */
    private int countdown;
    private String error;
    private boolean full;

    public NoSpaceDisk(FileIO disk) {
        this.disk = disk;
    }

    /** Fails the {@code n}-th creation call from now with {@code message} ({@link #ENOSPC}: the disk is full then). */
    public synchronized void failCreationCall(int n, String message) {
        countdown = n;
        error = message;
    }

    public synchronized void free() {
        full = false;
        countdown = 0;
    }

    public synchronized boolean full() {
        return full;
    }

    private synchronized void creationCall(Path file) throws IOException {
        if (countdown > 0 && --countdown == 0) {
            full = ENOSPC.equals(error);
            throw new IOException(error + " (injected, " + file + ")");
        }
    }

    private synchronized void growing(Path file) throws IOException {
        if (full) {
            throw new IOException(ENOSPC + " (" + file + ")");
        }
    }

    @Override
    public FileHandle open(Path file, Mode mode) throws IOException {
        FileHandle real = disk.open(file, mode);
        boolean creating = mode == Mode.CREATE_NEW;
        return new FileHandle() {
            @Override
            public Path path() {
                return real.path();
            }

            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                return real.read(dst, position);
            }

            @Override
            public void write(ByteBuffer src, long position) throws IOException {
                if (creating) {
                    creationCall(file);
                }
                if (position + src.remaining() > real.size()) {
                    growing(file);
                }
                real.write(src, position);
            }

            @Override
            public void force() throws IOException {
                if (creating) {
                    creationCall(file);
                }
                real.force();
            }

            @Override
            public long size() throws IOException {
                return real.size();
            }

            @Override
            public void close() throws IOException {
                real.close();
            }
        };
    }

    @Override
    public boolean exists(Path path) {
        return disk.exists(path);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return disk.list(dir);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        disk.createDirectories(dir);
    }

    @Override
    public void delete(Path file) throws IOException {
        disk.delete(file);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        creationCall(dir);
        disk.syncDirectory(dir);
    }

    @Override
    public LockHandle lock(Path lockFile, boolean wait) throws IOException {
        return disk.lock(lockFile, wait);
    }
}

package io.clfs.log.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * A disk (any {@link FileIO}, usually a {@link SimulatedDisk}) that runs out of space on demand.
 * {@link #failCreationCall} makes the n-th later call of a file creation (a write or force of a file
 * opened {@code CREATE_NEW}, or a directory sync) fail; with the ENOSPC message the disk is full
 * from then on: the files created since fail every write, as a file that grows does on a real full
 * file system, while writes into the files that were there, forces and syncs go on. {@link #free}
 * gives the space back. Thread-safe: the state is guarded by this object's monitor.
 */
public final class NoSpaceDisk extends DelegatingFileIO {
    public static final String ENOSPC = "No space left on device";

    /** Files opened {@code CREATE_NEW} since the failure was armed. */
    private final Set<Path> created = new HashSet<>();
    /** Creation calls to go until the injected failure; 0 when none is armed. */
    private int countdown;
    private String error;
    private boolean full;

    public NoSpaceDisk(FileIO disk) {
        super(disk);
    }

    /** Fails the {@code n}-th creation call from now with {@code message} ({@link #ENOSPC}: the disk is full then). */
    public synchronized void failCreationCall(int n, String message) {
        created.clear();
        countdown = n;
        error = message;
    }

    public synchronized void free() {
        full = false;
        countdown = 0;
    }

    @Override
    public FileHandle open(Path file, Mode mode) throws IOException {
        if (mode == Mode.CREATE_NEW) {
            synchronized (this) {
                created.add(file);
            }
        }
        return super.open(file, mode);
    }

    @Override
    protected synchronized void beforeWrite(Path file) throws IOException {
        if (created.contains(file)) {
            creationCall(file);
            if (full) {
                throw new IOException(ENOSPC + " (" + file + ")");
            }
        }
    }

    @Override
    protected synchronized void beforeForce(Path file) throws IOException {
        if (created.contains(file)) {
            creationCall(file);
        }
    }

    @Override
    protected synchronized void beforeSyncDirectory(Path dir) throws IOException {
        creationCall(dir);
    }

    private void creationCall(Path file) throws IOException {
        if (countdown > 0 && --countdown == 0) {
            full = ENOSPC.equals(error);
            throw new IOException(error + " (injected, " + file + ")");
        }
    }
}

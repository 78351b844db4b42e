package io.clfs.log.engine;

import io.clfs.log.ClfsIOException;
import io.clfs.log.LogLockedException;
import io.clfs.log.io.FileHandle;
import io.clfs.log.io.FileIO;
import io.clfs.log.io.LockHandle;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The writer's hold on a log: {@code clfs.lock}, and {@code clfs.lock.owner} beside it saying who
 * holds it (owner label, host, pid, the epoch it fences with, since when), so that an operator, or
 * a writer that takes the log over from a stalled holder, can name that holder.
 *
 * <p>A takeover ({@link #take} with {@code takeOver}) waits for nothing: it replaces the lock file
 * ({@link FileIO#lockReplacing}), so the stalled holder keeps a lock on a file no name points to,
 * and the epoch bump of the open that follows fences it. A holder in this process is never taken
 * over. Immutable once taken.
 */
public final class OwnerLock implements AutoCloseable {
    static final String LOCK_FILE = "clfs.lock";
    public static final String OWNER_FILE = "clfs.lock.owner";
    /** Read no more of an owner file than this: it is written by another process and may be anything. */
    private static final int MAX_OWNER_BYTES = 1024;

    private final LockHandle handle;
    private final String takenOverFrom;

    private OwnerLock(LockHandle handle, String takenOverFrom) {
        this.handle = handle;
        this.takenOverFrom = takenOverFrom;
    }

    /** Takes the lock of the log in {@code dir}; LogLockedException when another writer holds it and may keep it. */
    static OwnerLock take(FileIO io, Path dir, boolean takeOver) {
        Path lockFile = dir.resolve(LOCK_FILE);
        try {
            LockHandle held = io.lock(lockFile, false);
            if (held != null) {
                return new OwnerLock(held, null);
            }
            if (takeOver) {
                String holder = holder(io, dir);
                held = io.lockReplacing(lockFile);
                if (held != null) {
                    return new OwnerLock(held, holder);
                }
            }
        } catch (IOException e) {
            throw new ClfsIOException("cannot lock log " + dir, e);
        }
        throw new LogLockedException("log " + dir + " is held by another writer (lock file " + LOCK_FILE
                + "); open it read-only or stop that writer");
    }

    /** Who held the lock this writer took over ({@code clfs.lock.owner} as read then), or null when it was free. */
    public String takenOverFrom() {
        return takenOverFrom;
    }

    /**
     * Writes {@code clfs.lock.owner} (a new file renamed over the old, so a reader sees one whole).
     * Best effort: it only informs, so a failure to write it (a full disk) must not fail the open.
     */
    void describe(FileIO io, Path dir, String label, long epoch) {
        String text = "owner=" + printable(label == null ? "" : label) + "\nhost=" + Host.NAME + "\npid="
                + ProcessHandle.current().pid() + "\nepoch=" + epoch + "\nsince=" + Instant.now() + "\n";
        Path staged = dir.resolve(OWNER_FILE + ".new");
        try {
            io.delete(staged);
            try (FileHandle h = io.open(staged, FileIO.Mode.CREATE_NEW)) {
                h.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
            }
            io.rename(staged, dir.resolve(OWNER_FILE));
        } catch (IOException notWritten) {
            // the holder goes unnamed in a takeover's message; the lock and the epoch still fence
        }
    }

    /** The owner file of the log in {@code dir} on one line, its control characters replaced. */
    static String holder(FileIO io, Path dir) {
        Path file = dir.resolve(OWNER_FILE);
        try (FileHandle h = io.open(file, FileIO.Mode.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(MAX_OWNER_BYTES);
            int n = h.read(buf, 0);
            String text = new String(buf.array(), 0, Math.max(n, 0), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "unknown (" + OWNER_FILE + " is empty)" : printable(text.replace('\n', ' '));
        } catch (IOException e) {
            return "unknown (" + OWNER_FILE + " unreadable: " + e + ")";
        }
    }

    private static String printable(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    /** False once another writer took the log over (replaced the lock file); see {@link LockHandle#stillNamed}. */
    public boolean stillHeld() {
        try {
            return handle.stillNamed();
        } catch (IOException e) {
            return false; // the lock file is gone or unreadable: this writer cannot show it still owns the log
        }
    }

    @Override
    public void close() throws IOException {
        handle.close();
    }

    /** This host's name, looked up once: the lookup may wait on DNS. */
    private static final class Host {
        static final String NAME = lookUp();

        private static String lookUp() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "unknown";
            }
        }
    }
}

package io.clfs.log.engine;

import io.clfs.log.ClfsIOException;
import io.clfs.log.CorruptLogException;
import io.clfs.log.UnsupportedFormatException;
import io.clfs.log.format.Layout;
import io.clfs.log.io.FileHandle;
import io.clfs.log.io.FileIO;
import io.clfs.log.io.FileReplacedException;
import io.clfs.log.io.LockHandle;
import io.clfs.log.format.MetadataLayout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The metadata file: two alternating checksummed copies. Every update, by the writer or by an
 * archiver in another process, happens under the metadata lock file and starts from the newest
 * copy on disk, so that neither loses the other's change.
 */
public final class MetadataStore implements AutoCloseable {
    public static final String FILE = "clfs.meta";
    /** Where a new log's metadata is written before it takes its name. */
    static final String NEW_FILE = "clfs.meta.new";
    public static final String LOCK_FILE = "clfs.meta.lock";
    /** Bytes read first from each copy: a sector multiple that holds a dedicated or small multiplexed log's metadata. */
    public static final int FIRST_READ = 4096;

    private final FileIO io;
    private final Path dir;
    private final Path file;
    /**
     * A writer keeps the file open for the log's life (a flush reads it to check the owner epoch);
     * the lock file is opened per update by everyone, so that a log holds few files open.
     */
    private final boolean writer;
    private FileHandle held;
    /** The newest copy this store wrote or decoded, with its bytes: while it is on disk unchanged, reads skip decoding. */
    private volatile Known known;
    /** Set by {@link #takeOverLockAfter} for the next update only; -1 when updates wait for the lock without bound. */
    private volatile long takeOverAfterMs = -1;

    private record Known(int slot, ByteBuffer bytes, Metadata metadata) {
    }

    public MetadataStore(FileIO io, Path dir) {
        this(io, dir, false);
    }

    public MetadataStore(FileIO io, Path dir, boolean writer) {
        this.io = io;
        this.dir = dir;
        this.file = dir.resolve(FILE);
        this.writer = writer;
    }

    private interface FileAction<T> {
        T apply(FileHandle h) throws IOException;
    }

    private synchronized <T> T withFile(FileIO.Mode mode, FileAction<T> action) throws IOException {
        if (writer) {
            if (held == null) {
                held = io.open(file, FileIO.Mode.READ_WRITE);
            }
            return action.apply(held);
        }
        try (FileHandle h = io.open(file, mode)) {
            return action.apply(h);
        }
    }

    private LockHandle lockMetadata() throws IOException {
        long bound = takeOverAfterMs;
        takeOverAfterMs = -1;
        Path lock = dir.resolve(LOCK_FILE);
        return bound < 0 ? io.lock(lock, true) : io.lockOrTakeOver(lock, bound);
    }

    /**
     * For a writer that took the log over from a stalled process, which may have stopped in the
     * middle of an update: its next update (the fence) waits at most {@code ms} for the lock before
     * taking it over too ({@link FileIO#lockOrTakeOver}).
     */
    void takeOverLockAfter(long ms) {
        takeOverAfterMs = ms;
    }

    /** Closes the writer's files. */
    @Override
    public synchronized void close() throws IOException {
        if (held != null) {
            held.close();
            held = null;
        }
    }

    public Path file() {
        return file;
    }

    /** The writer's check that the metadata file it keeps open is still {@link #FILE} (see {@link FileIdentity}). */
    void checkIdentity() throws IOException {
        FileHandle h;
        synchronized (this) {
            h = held;
        }
        if (h != null) {
            FileIdentity.check(io, h, Layout.METADATA_SLOT_SIZE);
        }
    }

    /** Writes both copies of a new log's metadata. */
    public void create(Metadata m) throws IOException {
        // Named only once whole: a reader that finds clfs.meta (the source, a tool) never sees a half-made log.
        writeAsNewFile(m.withGeneration(1));
    }

    /**
     * Writes {@code m} as generation {@code g} and g - 1 (both slots) into {@link #NEW_FILE}, forces
     * it and renames it to {@link #FILE}: a new inode under the old name.
     */
    private void writeAsNewFile(Metadata m) throws IOException {
        Path staged = dir.resolve(NEW_FILE);
        io.delete(staged); // a leftover of a creation or takeover that crashed
        long g = m.generation();
        try (FileHandle h = io.open(staged, FileIO.Mode.CREATE_NEW)) {
            for (long gen : new long[]{g - 1, g}) {
                int slot = (int) (gen & 1);
                h.write(MetadataCodec.encode(m.withGeneration(gen), slot), (long) slot * Layout.METADATA_SLOT_SIZE);
            }
            h.force();
        }
        io.rename(staged, file);
    }

    /**
     * As {@link #update}, but the next generation goes into a new file that replaces {@link #FILE}
     * (both copies, forced, renamed over it, the directory synced). An older owner that still holds
     * the old file open writes its late copies into a file no name points to any more, and its next
     * identity check ({@link FileIdentity}) stops it. This store then reopens the file by name.
     */
    public Metadata replace(UnaryOperator<Metadata> change) {
        try (LockHandle ignored = lockMetadata()) {
            forgetIfReplaced();
            Metadata current = withFile(FileIO.Mode.READ, this::newest);
            Metadata next = change.apply(current).withGeneration(current.generation() + 1);
            known = null;
            writeAsNewFile(next);
            io.syncDirectory(dir);
            synchronized (this) {
                if (held != null) {
                    held.close();
                    held = null;
                }
            }
            return next;
        } catch (IOException e) {
            throw new ClfsIOException("cannot replace metadata " + file, e);
        }
    }

    /**
     * Another opener may have replaced {@link #FILE} since this store opened it (its own fence after
     * an unclean close): a replacement reads what that opener wrote, by name, or it would bump the
     * owner epoch of a file no name points to and two owners would share one epoch. Only
     * {@link #replace} may do this: an update must fail on a replaced file, never follow it.
     */
    private synchronized void forgetIfReplaced() throws IOException {
        if (held == null) {
            return;
        }
        try {
            FileIdentity.check(io, held, Layout.METADATA_SLOT_SIZE);
        } catch (FileReplacedException e) {
            held.close();
            held = null;
            known = null;
        }
    }

    /** The newest valid copy in the file named {@link #FILE} now, whichever file the writer holds open. */
    Metadata readNewestByName() throws IOException {
        try (FileHandle h = io.open(file, FileIO.Mode.READ)) {
            return newestSlot(h).metadata;
        }
    }

    /** The newest valid copy; when neither is valid, a typed error that names both faults. */
    public Metadata readNewest() {
        try {
            return withFile(FileIO.Mode.READ, this::newest);
        } catch (IOException e) {
            throw new ClfsIOException("cannot read metadata " + file, e);
        }
    }

    private Metadata newest(FileHandle h) throws IOException {
        Known k = known;
        if (k != null && stillNewest(h, k)) {
            return k.metadata;
        }
        Slot newest = newestSlot(h);
        known = new Known(newest.index, newest.bytes, newest.metadata);
        return newest.metadata;
    }

    /** The valid copy of the higher generation in {@code h}; when neither is valid, a typed error that names both faults. */
    private Slot newestSlot(FileHandle h) throws IOException {
        Slot a = readSlot(h, 0);
        Slot b = readSlot(h, 1);
        if (a.metadata == null && b.metadata == null) {
            String reasons = "neither metadata copy is valid: copy 0 at offset " + a.offset + ": " + a.fault
                    + "; copy 1 at offset " + b.offset + ": " + b.fault;
            if (a.fault.startsWith("unsupported format") || b.fault.startsWith("unsupported format")) {
                throw new UnsupportedFormatException(file + ": " + reasons);
            }
            throw new CorruptLogException(file, a.offset, reasons);
        }
        return a.metadata == null ? b
                : b.metadata == null || Long.compareUnsigned(a.metadata.generation(), b.metadata.generation()) >= 0 ? a
                : b;
    }

    /**
     * Whether the known copy is on disk byte for byte and the other copy claims no newer generation.
     * A copy that claims a newer one (an archiver's write, or garbage) is then read in full.
     */
    private boolean stillNewest(FileHandle h, Known k) throws IOException {
        long base = (long) k.slot * Layout.METADATA_SLOT_SIZE;
        ByteBuffer mine = ByteBuffer.allocate(k.bytes.remaining());
        if (h.read(mine, base) != mine.capacity() || !mine.flip().equals(k.bytes)) {
            return false;
        }
        ByteBuffer other = ByteBuffer.allocate(MetadataLayout.GENERATION_OFFSET + Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        int n = h.read(other, (long) (1 - k.slot) * Layout.METADATA_SLOT_SIZE);
        return n < other.capacity()
                || Long.compareUnsigned(other.getLong(MetadataLayout.GENERATION_OFFSET), k.metadata.generation()) <= 0;
    }

    /** One copy as read and checked: the metadata and its bytes, or the fault and where it lies. */
    public record Slot(int index, Metadata metadata, ByteBuffer bytes, long offset, String fault) {
    }

    public Slot readSlot(int index) {
        try {
            return withFile(FileIO.Mode.READ, h -> readSlot(h, index));
        } catch (IOException e) {
            throw new ClfsIOException("cannot read metadata " + file, e);
        }
    }

    /**
     * Reads the first {@link #FIRST_READ} bytes of a copy, which hold a typical log's whole metadata,
     * and the rest of the slot only when the copy says it is longer. The length read here only
     * chooses how much to read; {@link MetadataCodec#decode} checks it.
     */
    private Slot readSlot(FileHandle h, int index) throws IOException {
        long base = (long) index * Layout.METADATA_SLOT_SIZE;
        ByteBuffer buf = ByteBuffer.allocate(FIRST_READ).order(ByteOrder.LITTLE_ENDIAN);
        int n = h.read(buf, base);
        if (n <= 0) {
            return new Slot(index, null, null, base, "copy missing (file is " + h.size() + " bytes)");
        }
        if (n == FIRST_READ && Integer.toUnsignedLong(buf.getInt(MetadataLayout.LENGTH_OFFSET)) > FIRST_READ) {
            buf = ByteBuffer.allocate(Layout.METADATA_SLOT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            h.read(buf, base);
        }
        buf.flip();
        try {
            Metadata m = MetadataCodec.decode(buf, index);
            int written = (int) Math.min(buf.limit(), Layout.alignUp(MetadataCodec.encodedLength(m), Layout.SECTOR));
            return new Slot(index, m, buf.duplicate().position(0).limit(written), base, null);
        } catch (MetadataCodec.Invalid e) {
            return new Slot(index, null, null, base + e.offset(), e.getMessage());
        }
    }

    /**
     * Applies {@code change} to the newest copy on disk and writes the result as the next
     * generation into the other slot, then forces it and checks that the file is still the one
     * named {@link #FILE}. Returns what was written.
     */
    public Metadata update(UnaryOperator<Metadata> change) {
        try (LockHandle ignored = lockMetadata()) {
            return withFile(FileIO.Mode.READ_WRITE, h -> {
                Metadata current = newest(h);
                Metadata next = change.apply(current).withGeneration(current.generation() + 1);
                int slot = (int) (next.generation() & 1);
                ByteBuffer bytes = MetadataCodec.encode(next, slot);
                known = null; // a failed write leaves the slot in doubt
                h.write(bytes.duplicate(), (long) slot * Layout.METADATA_SLOT_SIZE);
                h.force();
                FileIdentity.check(io, h, Layout.METADATA_SLOT_SIZE);
                known = new Known(slot, bytes, next);
                return next;
            });
        } catch (IOException e) {
            throw new ClfsIOException("cannot write metadata " + file, e);
        }
    }
}

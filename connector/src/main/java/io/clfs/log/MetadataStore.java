package io.clfs.log;

import io.clfs.log.format.Layout;
import io.clfs.log.format.Metadata;
import io.clfs.log.format.MetadataCodec;
import io.clfs.log.io.FileHandle;
import io.clfs.log.io.FileIO;
import io.clfs.log.io.LockHandle;

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
final class MetadataStore {
    static final String FILE = "clfs.meta";
    static final String LOCK_FILE = "clfs.meta.lock";
    /** Bytes read first from each copy: a sector multiple that holds a dedicated or small multiplexed log's metadata. */
    static final int FIRST_READ = 4096;

    private final FileIO io;
    private final Path dir;
    private final Path file;

    MetadataStore(FileIO io, Path dir) {
        this.io = io;
        this.dir = dir;
        this.file = dir.resolve(FILE);
    }

    Path file() {
        return file;
    }

    /** Writes both copies of a new log's metadata. */
    void create(Metadata m) throws IOException {
        try (FileHandle h = io.open(file, FileIO.Mode.CREATE_NEW)) {
            h.write(MetadataCodec.encode(m.withGeneration(0), 0), 0);
            h.write(MetadataCodec.encode(m.withGeneration(1), 1), Layout.METADATA_SLOT_SIZE);
            h.force();
        }
    }

    /** The newest valid copy; when neither is valid, a typed error that names both faults. */
    Metadata readNewest() {
        try (FileHandle h = io.open(file, FileIO.Mode.READ)) {
            return newest(h);
        } catch (IOException e) {
            throw new ClfsIOException("cannot read metadata " + file, e);
        }
    }

    private Metadata newest(FileHandle h) throws IOException {
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
        if (a.metadata == null) {
            return b.metadata;
        }
        if (b.metadata == null) {
            return a.metadata;
        }
        return Long.compareUnsigned(a.metadata.generation(), b.metadata.generation()) >= 0 ? a.metadata : b.metadata;
    }

    /** One copy as read and checked: the metadata, or the fault and where it lies. */
    record Slot(Metadata metadata, long offset, String fault) {
    }

    Slot readSlot(int index) {
        try (FileHandle h = io.open(file, FileIO.Mode.READ)) {
            return readSlot(h, index);
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
            return new Slot(null, base, "copy missing (file is " + h.size() + " bytes)");
        }
        if (n == FIRST_READ && Integer.toUnsignedLong(buf.getInt(MetadataCodec.LENGTH_OFFSET)) > FIRST_READ) {
            buf = ByteBuffer.allocate(Layout.METADATA_SLOT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            h.read(buf, base);
        }
        buf.flip();
        try {
            return new Slot(MetadataCodec.decode(buf, index), base, null);
        } catch (MetadataCodec.Invalid e) {
            return new Slot(null, base + e.offset(), e.getMessage());
        }
    }

    /**
     * Applies {@code change} to the newest copy on disk and writes the result as the next
     * generation into the other slot, then forces it. Returns what was written.
     */
    Metadata update(UnaryOperator<Metadata> change) {
        try (LockHandle ignored = io.lock(dir.resolve(LOCK_FILE), true)) {
            try (FileHandle h = io.open(file, FileIO.Mode.READ_WRITE)) {
                Metadata current = newest(h);
                Metadata next = change.apply(current).withGeneration(current.generation() + 1);
                int slot = (int) (next.generation() & 1);
                h.write(MetadataCodec.encode(next, slot), (long) slot * Layout.METADATA_SLOT_SIZE);
                h.force();
                return next;
            }
        } catch (IOException e) {
            throw new ClfsIOException("cannot write metadata " + file, e);
        }
    }
}

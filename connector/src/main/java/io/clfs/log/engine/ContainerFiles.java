package io.clfs.log.engine;

import io.clfs.log.ClfsIOException;
import io.clfs.log.CorruptLogException;
import io.clfs.log.DiskFullException;
import io.clfs.log.LogPolicy;
import io.clfs.log.format.Checksum;
import io.clfs.log.format.ContainerHeader;
import io.clfs.log.format.Layout;
import io.clfs.log.io.FileHandle;
import io.clfs.log.io.FileIO;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The container files of one log: names, open handles with the length each is zero-filled to
 * ({@link Preallocator}), creation (a zero-filled prefix, never over an existing file) and deletion.
 * Thread-safe: the handle table, the filled lengths and the checked set are guarded by this object's monitor;
 * creation and deletion run only while the caller owns the log's files (see {@link FileOwnership}).
 */
public final class ContainerFiles implements AutoCloseable {
    private final FileIO io;
    private final Path dir;
    private final boolean writable;
    private final Map<Integer, FileHandle> open = new HashMap<>();
    /** The file length of each open handle, as this log last made it (a shorter file was truncated under it). */
    private final Map<FileHandle, Long> filled = new IdentityHashMap<>();
    /** Open handles that passed {@link #onOpen} after they were opened. */
    private final Set<Integer> checked = new HashSet<>();
    private volatile OpenCheck onOpen;

    /** A check run on a writer's container handle, opened by name, before anything is written into it. */
    public interface OpenCheck {
        void check() throws IOException;
    }

    public ContainerFiles(FileIO io, Path dir, boolean writable) {
        this.io = io;
        this.dir = dir;
        this.writable = writable;
    }

    /**
     * For a writer: {@code check} runs once per opened container before the first write into it
     * ({@link #handleForWriting}). A newer owner may have created a new file under a name this
     * writer still lists; the check (still the owner?) stops it before it writes there. A check
     * that passes after the open proves the file is not a newer owner's: that owner raises the
     * epoch before it creates anything.
     */
    void checkOnOpen(OpenCheck check) {
        this.onOpen = check;
    }

    public static Path path(Path dir, LogPolicy policy, int physicalId) {
        return dir.resolve(policy.containerPrefix() + String.format("%06d", physicalId) + policy.containerSuffix());
    }

    public Path path(Metadata m, int physicalId) {
        return path(dir, m.policy(), physicalId);
    }

    /** The open handle of a container, opening it and checking its header on first use. */
    public synchronized FileHandle handle(Metadata m, int physicalId) {
        FileHandle h = open.get(physicalId);
        if (h != null) {
            return h;
        }
        Path p = path(m, physicalId);
        try {
            if (!io.exists(p)) {
                throw new CorruptLogException(p, 0, "expected container file for physical container " + physicalId
                        + " listed in the metadata, but it is missing");
            }
            h = io.open(p, writable ? FileIO.Mode.READ_WRITE : FileIO.Mode.READ);
            ByteBuffer header = ByteBuffer.allocate(Layout.CONTAINER_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            h.read(header, 0);
            header.flip();
            String fault = ContainerHeader.check(header, physicalId, m.logIdHi(), m.logIdLo(),
                    m.policy().containerSize(), new Checksum());
            if (fault != null) {
                h.close();
                throw new CorruptLogException(p, 0, fault);
            }
            open.put(physicalId, h);
            filled.put(h, h.size());
            return h;
        } catch (IOException e) {
            throw new ClfsIOException("cannot open container " + p, e);
        }
    }

    /** The handle of a container to write into: as {@link #handle}, checked once as {@link #checkOnOpen} says. */
    public synchronized FileHandle handleForWriting(Metadata m, int physicalId) {
        FileHandle h = handle(m, physicalId);
        if (onOpen != null && !checked.contains(physicalId)) {
            try {
                onOpen.check();
            } catch (IOException e) {
                throw new ClfsIOException("cannot check the owner of log " + dir + " before writing "
                        + path(m, physicalId), e);
            }
            checked.add(physicalId);
        }
        return h;
    }

    /**
     * Creates a container file under the lowest physical id that {@code table} does not list and no
     * file has (a leftover of a crash, or a file a fenced writer made), and returns that id. Never
     * opens an existing file: whoever else holds one keeps writing into their own.
     */
    public int createUnused(Metadata m, List<Metadata.ContainerEntry> table) throws IOException {
        for (int id = ContainerTable.lowestUnusedPhysical(table); id < Layout.MAX_CONTAINERS; id++) {
            if (ContainerTable.containsPhysical(table, id) || io.exists(path(m, id))) {
                continue;
            }
            try {
                forget(id);
                create(m, id);
                return id;
            } catch (FileAlreadyExistsException e) {
                // made meanwhile by another writer of this directory: take the next id
            }
        }
        throw new ClfsIOException("cannot create a container in " + dir + ": all " + Layout.MAX_CONTAINERS
                + " physical ids are listed or taken by files");
    }

    /**
     * Deletes a container file and creates a new one under its name, so that a writer that still
     * holds the old one (an older owner, fenced) writes into a file no name points to. Durable
     * (the directory synced) before it returns.
     */
    public void recreate(Metadata m, int physicalId) throws IOException {
        forget(physicalId);
        io.delete(path(m, physicalId));
        create(m, physicalId);
    }

    /**
     * Reads from container {@code physicalId} as {@link FileHandle#read} does. The writer closes the
     * containers it left ({@link #closeAllBut}); a reader that took such a handle just before reads
     * again through a new one.
     */
    public int read(Metadata m, int physicalId, ByteBuffer dst, long position) throws IOException {
        int start = dst.position();
        for (;;) {
            FileHandle h = handle(m, physicalId);
            try {
                return h.read(dst, position);
            } catch (IOException e) {
                if (isOpen(h)) {
                    throw e;
                }
                dst.position(start);
            }
        }
    }

    private synchronized boolean isOpen(FileHandle h) {
        return filled.containsKey(h);
    }

    /**
     * Closes every open container but {@code keepPhysicalId} and those {@code pending} still has
     * blocks for, so that a writer holds only the container it writes (and one it has yet to force).
     */
    synchronized void closeAllBut(int keepPhysicalId, Predicate<FileHandle> pending) throws IOException {
        for (Iterator<Map.Entry<Integer, FileHandle>> it = open.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, FileHandle> e = it.next();
            if (e.getKey() != keepPhysicalId && !pending.test(e.getValue())) {
                it.remove();
                filled.remove(e.getValue());
                checked.remove(e.getKey()); // opened by name again later: checked again
                e.getValue().close();
            }
        }
    }

    /** The length {@code h} (a handle of this table) is known to have: a shorter file was truncated under the log. */
    synchronized long filledLength(FileHandle h) {
        return filled.getOrDefault(h, (long) Layout.CONTAINER_HEADER_SIZE);
    }

    synchronized void setFilledLength(FileHandle h, long length) {
        if (filled.containsKey(h)) { // not closed meanwhile
            filled.put(h, length);
        }
    }

    /**
     * Creates a container file with its header and a zero-filled prefix (the rest is zero-filled
     * as the log writes there: {@link Preallocator}), durable with its directory entry before it is
     * listed in the metadata; {@link FileAlreadyExistsException} when a file has the name. When the
     * file system is full, the partial file is removed and a {@link DiskFullException} names it.
     */
    public void create(Metadata m, int physicalId) throws IOException {
        createUnlisted(m, physicalId, Preallocator.initialLength(m.policy().containerSize()));
        try {
            io.syncDirectory(dir);
        } catch (IOException e) {
            failCreate(path(m, physicalId), Preallocator.initialLength(m.policy().containerSize()), e);
        }
    }

    /**
     * As {@link #create}, but {@code length} bytes long (at least its header) and the file's
     * directory entry not yet durable: for a new log, whose containers all take their names before
     * one directory sync, ahead of the metadata that lists them ({@link NewLog}).
     */
    void createUnlisted(Metadata m, int physicalId, long length) throws IOException {
        Path p = path(m, physicalId);
        long size = m.policy().containerSize();
        FileHandle created;
        try {
            created = io.open(p, FileIO.Mode.CREATE_NEW);
        } catch (FileAlreadyExistsException e) {
            throw e; // never deleted: another writer may hold it
        } catch (IOException e) {
            if (NoSpace.causes(e, dir, length)) {
                throw new DiskFullException(dir, p, "create container", e);
            }
            throw e;
        }
        try (FileHandle h = created) {
            if (length > Layout.CONTAINER_HEADER_SIZE) {
                h.write(Preallocator.zeros(length - Layout.CONTAINER_HEADER_SIZE), Layout.CONTAINER_HEADER_SIZE);
            }
            ByteBuffer header = ByteBuffer.allocate(Layout.CONTAINER_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            ContainerHeader.write(header, physicalId, m.logIdHi(), m.logIdLo(), size, new Checksum());
            h.write(header, 0);
            h.force();
        } catch (IOException e) {
            failCreate(p, length, e);
        }
    }

    /** Throws {@code e}; on a full file system, first removes the unlisted file {@code p} so that its space is free again. */
    private void failCreate(Path p, long length, IOException e) throws IOException {
        if (!NoSpace.causes(e, dir, length)) {
            throw e;
        }
        io.delete(p);
        throw new DiskFullException(dir, p, "create container", e);
    }

    public synchronized void delete(Metadata m, int physicalId) throws IOException {
        checked.remove(physicalId);
        FileHandle h = open.remove(physicalId);
        if (h != null) {
            filled.remove(h);
            h.close();
        }
        io.delete(path(m, physicalId));
        io.syncDirectory(dir);
    }

    /** Forgets an open handle so that the next use reopens it (the file may have been replaced). */
    public synchronized void forget(int physicalId) throws IOException {
        checked.remove(physicalId);
        FileHandle h = open.remove(physicalId);
        if (h != null) {
            filled.remove(h);
            h.close();
        }
    }

    /** The handles open now, for checking that each file is still the one its name points to. */
    synchronized List<FileHandle> openHandles() {
        return List.copyOf(open.values());
    }

    @Override
    public synchronized void close() throws IOException {
        IOException first = null;
        for (FileHandle h : open.values()) {
            try {
                h.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        open.clear();
        filled.clear();
        checked.clear();
        if (first != null) {
            throw first;
        }
    }
}

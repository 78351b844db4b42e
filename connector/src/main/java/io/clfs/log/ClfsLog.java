package io.clfs.log;

import io.clfs.log.format.BlockHeader;
import io.clfs.log.format.Checksum;
import io.clfs.log.format.Layout;
import io.clfs.log.format.Metadata;
import io.clfs.log.format.RecordHeader;
import io.clfs.log.io.FileHandle;
import io.clfs.log.io.FileIO;
import io.clfs.log.io.LockHandle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * A CLFS-style log in one directory: a metadata file with two alternating copies and two or more
 * fixed-size containers. Open it as the one writer ({@link #open}) or as a reader
 * ({@link #openReadOnly}), which may be in another process.
 *
 * <p>Appends go into an in-memory block (the marshalling area). A block is sealed when it is full
 * or a flush needs it, and written and forced only by a flush: concurrent flushers share one
 * {@code force} (group commit). A flush returns only after {@code FileChannel.force}. After an I/O
 * error the log is fail-stop: every later call fails until it is reopened.
 */
public final class ClfsLog implements AutoCloseable {
    public static final String DEFAULT_STREAM = "default";
    static final String OWNER_LOCK_FILE = "clfs.lock";
    /** Worst-case block framing one reserved record may need: a block header and sector padding. */
    static final long RESERVED_FRAMING = Layout.BLOCK_HEADER_SIZE + Layout.SECTOR;
    private static final long MIN_MARSHALLING_BYTES = 8L << 20;
    /** Lowest logical container each open archive scan in this JVM needs, per log directory. */
    private static final Map<Path, Map<Object, Long>> SCAN_PINS = new ConcurrentHashMap<>();

    private final FileIO io;
    private final Path dir;
    /** This log's key in {@link #SCAN_PINS}. */
    private final Path pinKey;
    private final boolean writable;
    private final MetadataStore store;
    private final ContainerFiles files;
    private final LockHandle ownerLock;
    private final long epoch;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final Checksum checksum = new Checksum();
    private final Map<String, StreamState> streams = new ConcurrentHashMap<>();
    private final StreamState[] byId = new StreamState[Layout.MAX_STREAMS];
    private final ArrayDeque<ByteBuffer> pool = new ArrayDeque<>();
    private final List<Reservation> reservations = new ArrayList<>();

    private volatile Metadata meta;
    /** Blocks sealed but not yet written; swapped with {@code writing} by the flush leader. */
    private ArrayList<PendingBlock> sealed = new ArrayList<>();
    private ArrayList<PendingBlock> writing = new ArrayList<>();
    /** The flush leader's gathering-write array, reused. */
    private ByteBuffer[] gather = new ByteBuffer[64];
    private long sealedBytes;
    private ByteBuffer block;
    private int blockFill;
    private int blockCapacity;
    private int blockRecords;
    /** Where the open block starts, or the next block will. */
    private long cursor;
    /** Sequence and epoch of the last sealed block. */
    private long sequence;
    private long lastBlockEpoch;
    private volatile long durableEnd;
    /** A flush, container switch or metadata write owns the files. */
    private boolean busy;
    private long reservedTotal;
    private volatile ClfsException failure;
    private volatile TailPushCallback tailPush;
    private volatile boolean closed;

    private record PendingBlock(ByteBuffer buffer, FileHandle handle, long fileOffset, boolean pooled) {
    }

    // ------------------------------------------------------------------ create / open

    public static ClfsLog create(Path dir, LogKind kind, boolean archive, LogPolicy policy) {
        return create(FileIO.real(), dir, kind, archive, policy);
    }

    /**
     * Creates a log in {@code dir} (made if missing) and opens it as its writer.
     *
     * @param archive true for a non-ephemeral log, which has an archive tail besides the base LSN
     */
    public static ClfsLog create(FileIO io, Path dir, LogKind kind, boolean archive, LogPolicy policy) {
        try {
            io.createDirectories(dir);
            if (io.exists(dir.resolve(MetadataStore.FILE))) {
                throw new ClfsException("a log already exists in " + dir);
            }
            UUID id = UUID.randomUUID();
            long start = Lsn.of(1, Layout.CONTAINER_HEADER_SIZE);
            List<Metadata.ContainerEntry> containers = new ArrayList<>();
            for (int p = 0; p < policy.minContainers(); p++) {
                containers.add(new Metadata.ContainerEntry(p, p == 0 ? 1 : 0));
            }
            List<Metadata.StreamEntry> streams = kind == LogKind.DEDICATED
                    ? List.of(new Metadata.StreamEntry(0, DEFAULT_STREAM, start, start, Lsn.INVALID, Lsn.INVALID,
                    Lsn.INVALID))
                    : List.of();
            Metadata m = new Metadata(0, id.getMostSignificantBits(), id.getLeastSignificantBits(), kind, archive, 0,
                    start, policy, new Metadata.Checkpoint(start, 0, 0), containers, streams);
            try (ContainerFiles files = new ContainerFiles(io, dir, true)) {
                for (Metadata.ContainerEntry c : containers) {
                    files.create(m, c.physicalId());
                }
            }
            new MetadataStore(io, dir).create(m);
            io.syncDirectory(dir);
            if (dir.toAbsolutePath().getParent() != null) {
                io.syncDirectory(dir.toAbsolutePath().getParent());
            }
        } catch (IOException e) {
            throw new ClfsIOException("cannot create log " + dir, e);
        }
        return open(io, dir);
    }

    public static ClfsLog open(Path dir) {
        return open(FileIO.real(), dir);
    }

    /** Opens the log as its one writer, recovering it: refused while another writer holds it. */
    public static ClfsLog open(FileIO io, Path dir) {
        return new ClfsLog(io, dir, true);
    }

    public static ClfsLog openReadOnly(Path dir) {
        return openReadOnly(FileIO.real(), dir);
    }

    /** Opens the log for reading and archive-tail moves, beside a writer in this or another process. */
    public static ClfsLog openReadOnly(FileIO io, Path dir) {
        return new ClfsLog(io, dir, false);
    }

    public static boolean exists(Path dir) {
        return FileIO.real().exists(dir.resolve(MetadataStore.FILE));
    }

    private ClfsLog(FileIO io, Path dir, boolean writable) {
        this.io = io;
        this.dir = dir;
        this.pinKey = dir.toAbsolutePath().normalize();
        this.writable = writable;
        this.store = new MetadataStore(io, dir, writable);
        if (!io.exists(store.file())) {
            throw new ClfsException("no log in " + dir + ": " + MetadataStore.FILE + " is missing");
        }
        LockHandle held = null;
        ContainerFiles opened = null;
        try {
            if (writable) {
                held = lockOwner(io, dir);
                if (held == null) {
                    throw new LogLockedException("log " + dir + " is held by another writer (lock file "
                            + OWNER_LOCK_FILE + "); open it read-only or stop that writer");
                }
            }
            Metadata m = store.readNewest();
            opened = new ContainerFiles(io, dir, writable);
            this.files = opened;
            this.meta = m;
            for (Metadata.StreamEntry e : m.streams()) {
                addStream(new StreamState(e));
            }
            scanToEnd(m, m.checkpoint(), true);
            checkTailsWithinEnd(m);
            if (writable) {
                forceScanned(m);
                long next = m.ownerEpoch() + 1;
                this.meta = store.update(disk -> {
                    if (disk.ownerEpoch() != m.ownerEpoch()) {
                        throw new OwnerFencedException("log " + dir + " was opened by another writer during recovery");
                    }
                    return disk.withOwnerEpoch(next).withVouchedEnd(cursor);
                });
                this.epoch = next;
            } else {
                this.epoch = m.ownerEpoch();
            }
            this.ownerLock = held;
        } catch (RuntimeException e) {
            closeQuietly(store, opened, held);
            throw e;
        }
    }

    private static LockHandle lockOwner(FileIO io, Path dir) {
        try {
            return io.lock(dir.resolve(OWNER_LOCK_FILE), false);
        } catch (IOException e) {
            throw new ClfsIOException("cannot lock log " + dir, e);
        }
    }

    private static void closeQuietly(MetadataStore store, ContainerFiles files, LockHandle lock) {
        try {
            store.close();
        } catch (IOException ignored) {
            // already failing: the first error is the one reported
        }
        try {
            if (files != null) {
                files.close();
            }
        } catch (IOException ignored) {
            // already failing: the first error is the one reported
        }
        try {
            if (lock != null) {
                lock.close();
            }
        } catch (IOException ignored) {
            // as above
        }
    }

    private void addStream(StreamState s) {
        streams.put(s.name, s);
        byId[s.id] = s;
    }

    /**
     * Scans blocks from {@code from} to the end of the chain, bringing each stream's last LSNs and
     * newest restart record up to date. With {@code vouch}, an end below the metadata's vouched
     * durable end is corruption.
     */
    private void scanToEnd(Metadata m, Metadata.Checkpoint from, boolean vouch) {
        BlockCursor c = new BlockCursor(files, m);
        c.startChain(from);
        while (c.next(m.ownerEpoch())) {
            c.follow();
            ByteBuffer b = c.buffer();
            for (int at = c.firstRecord(); at >= 0; at = c.nextRecord(at)) {
                c.checkRecord(at);
                StreamState s = streamById(RecordHeader.stream(b, at));
                long lsn = c.position() + at;
                if (s == null) {
                    throw new CorruptLogException(files.path(m, m.physicalOf(Lsn.container(lsn))), Lsn.offset(lsn),
                            "expected a record of a known stream, found stream id " + RecordHeader.stream(b, at));
                }
                s.lastLsn = lsn;
                if (RecordHeader.type(b, at) == RecordType.DATA.code()) {
                    s.lastDataLsn = lsn;
                } else {
                    s.restartLsn = lsn;
                    s.lastRestartAppended = lsn;
                }
            }
        }
        if (vouch && Lsn.less(c.chainPosition(), m.vouchedEnd())) {
            Path file = c.faultFile() != null ? c.faultFile() : store.file();
            throw new CorruptLogException(file, c.faultOffset(), c.fault() + "; the metadata vouches that the log is"
                    + " durable up to " + Lsn.toString(m.vouchedEnd()) + ", so this is not a torn tail");
        }
        cursor = c.chainPosition();
        sequence = c.chainSequence();
        lastBlockEpoch = c.chainEpoch();
        durableEnd = cursor;
    }

    private void checkTailsWithinEnd(Metadata m) {
        for (StreamState s : streams.values()) {
            for (long tail : new long[]{s.base, s.archiveTail}) {
                if (Lsn.less(cursor, tail)) {
                    throw new CorruptLogException(store.file(), 0, "expected the tails of stream '" + s.name
                            + "' at or below the durable end " + Lsn.toString(cursor) + ", found "
                            + Lsn.toString(tail));
                }
            }
            if (s.restartLsn != Lsn.INVALID && !Lsn.less(s.restartLsn, cursor)) {
                throw new CorruptLogException(store.file(), 0, "expected the restart LSN of stream '" + s.name
                        + "' below the durable end " + Lsn.toString(cursor) + ", found " + Lsn.toString(s.restartLsn));
            }
        }
    }

    /** What recovery found may still be only in the page cache of a writer that died: make it durable first. */
    private void forceScanned(Metadata m) {
        for (long logical = Lsn.container(m.checkpoint().position()); logical <= Lsn.container(cursor); logical++) {
            int physical = m.physicalOf(logical);
            if (physical >= 0) {
                try {
                    files.handle(m, physical).force();
                } catch (IOException e) {
                    throw new ClfsIOException("cannot force container " + files.path(m, physical), e);
                }
            }
        }
    }

    // ------------------------------------------------------------------ streams

    public Path dir() {
        return dir;
    }

    public LogKind kind() {
        return meta.kind();
    }

    public boolean archiveEnabled() {
        return meta.archiveEnabled();
    }

    public boolean writable() {
        return writable;
    }

    /** The stream of a dedicated log. */
    public LogStream stream() {
        if (meta.kind() != LogKind.DEDICATED) {
            throw new IllegalArgumentException("log " + dir + " is multiplexed: name a stream");
        }
        return new LogStream(this, streams.get(DEFAULT_STREAM));
    }

    /** A named stream, created (durably) when the writer first asks for it in a multiplexed log. */
    public LogStream stream(String name) {
        StreamState s = streams.get(name);
        if (s != null) {
            return new LogStream(this, s);
        }
        if (meta.kind() == LogKind.DEDICATED) {
            throw new IllegalArgumentException("log " + dir + " is dedicated: its one stream is '" + DEFAULT_STREAM
                    + "', not '" + name + "'");
        }
        if (!writable) {
            throw new IllegalArgumentException("log " + dir + " has no stream '" + name + "'");
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > Layout.MAX_STREAM_NAME) {
            throw new IllegalArgumentException("stream name must have 1 to " + Layout.MAX_STREAM_NAME
                    + " UTF-8 bytes: '" + name + "'");
        }
        metadataUpdate(false, () -> {
            if (streams.containsKey(name)) {
                return;
            }
            int id = 0;
            while (id < byId.length && byId[id] != null) {
                id++;
            }
            if (id == byId.length) {
                throw new IllegalArgumentException("log " + dir + " has the most streams it can hold ("
                        + Layout.MAX_STREAMS + ")");
            }
            addStream(new StreamState(new Metadata.StreamEntry(id, name, cursor, cursor, Lsn.INVALID, Lsn.INVALID,
                    Lsn.INVALID)));
        });
        return new LogStream(this, streams.get(name));
    }

    public List<String> streamNames() {
        return streams.values().stream().sorted(Comparator.comparingInt(s -> s.id)).map(s -> s.name).toList();
    }

    public void setTailPushCallback(TailPushCallback callback) {
        this.tailPush = callback;
    }

    // ------------------------------------------------------------------ appending

    long append(StreamState s, RecordType type, boolean defaultLinks, long previous, long undoNext,
                Reservation reservation, boolean force, ByteBuffer... parts) {
        checkWritable();
        long length = 0;
        for (ByteBuffer p : parts) {
            length += p.remaining();
        }
        long space = Layout.recordSpace(length);
        if (Layout.blockLength(space) > meta.policy().usableContainerBytes()) {
            throw new IllegalArgumentException("a record of " + length + " bytes does not fit a container of "
                    + meta.policy().containerSize() + " bytes");
        }
        long lsn;
        boolean overLimit;
        lock.lock();
        try {
            checkUsable();
            if (reservation != null) {
                reservation.consume(space + RESERVED_FRAMING);
                reservedTotal -= space + RESERVED_FRAMING;
                s.reservedBytes -= space + RESERVED_FRAMING;
            } else if (reservedTotal > 0) {
                checkRoomBesideReservations(space + RESERVED_FRAMING);
            }
            ensureBlockFor(space);
            lsn = cursor + blockFill;
            if (defaultLinks) {
                previous = type == RecordType.DATA ? s.lastDataLsn : s.lastRestartAppended;
                undoNext = previous;
            } else {
                checkLink("previous", previous, lsn);
                checkLink("undo-next", undoNext, lsn);
            }
            writeRecord(s, type, previous, undoNext, parts, (int) length, space);
            overLimit = sealedBytes >= Math.max(MIN_MARSHALLING_BYTES, 16L * meta.policy().blockSize());
        } finally {
            lock.unlock();
        }
        if (force || overLimit) {
            flush(lsn);
        }
        return lsn;
    }

    private static void checkLink(String which, long link, long lsn) {
        if (link != Lsn.INVALID && !Lsn.less(link, lsn)) {
            throw new IllegalArgumentException("the " + which + " link " + Lsn.toString(link)
                    + " must point below the new record's LSN " + Lsn.toString(lsn) + " (or be LSN_INVALID)");
        }
    }

    private void writeRecord(StreamState s, RecordType type, long previous, long undoNext, ByteBuffer[] parts,
                             int length, long space) {
        int at = blockFill;
        long lsn = cursor + at;
        RecordHeader.write(block, at, Layout.RECORD_HEADER_SIZE + length, type.code(), s.id, at, previous, undoNext,
                Lsn.container(cursor));
        int p = at + Layout.RECORD_HEADER_SIZE;
        for (ByteBuffer part : parts) {
            int n = part.remaining();
            block.put(p, part, part.position(), n);
            p += n;
        }
        for (int end = (int) (at + space); p < end; p++) {
            block.put(p, (byte) 0);
        }
        RecordHeader.seal(block, at, checksum);
        blockFill += (int) space;
        blockRecords++;
        s.lastLsn = lsn;
        if (type == RecordType.DATA) {
            s.lastDataLsn = lsn;
        } else {
            s.lastRestartAppended = lsn;
        }
    }

    /** Leaves an open block with room for {@code space} bytes, sealing and switching containers as needed. */
    private void ensureBlockFor(long space) {
        for (;;) {
            checkUsable();
            if (block != null && blockFill + space <= blockCapacity) {
                return;
            }
            if (block != null) {
                seal();
            }
            long need = Layout.blockLength(space);
            long room = meta.policy().containerSize() - Lsn.offset(cursor);
            if (need <= room) {
                int blockSize = meta.policy().blockSize();
                int capacity = (int) Math.min(Math.max(blockSize, need), room);
                block = capacity <= blockSize ? pooled(blockSize)
                        : ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
                blockCapacity = capacity;
                blockFill = Layout.BLOCK_HEADER_SIZE;
                blockRecords = 0;
                return;
            }
            switchContainer();
        }
    }

    private ByteBuffer pooled(int size) {
        ByteBuffer b = pool.poll();
        return b != null ? b : ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void seal() {
        int length = (int) Layout.alignUp(blockFill, Layout.SECTOR);
        for (int p = blockFill; p < length; p++) {
            block.put(p, (byte) 0);
        }
        sequence++;
        lastBlockEpoch = epoch;
        BlockHeader.write(block, 0, length, blockFill, Lsn.container(cursor), blockRecords, sequence, epoch);
        BlockHeader.seal(block, 0, checksum);
        block.limit(length).position(0);
        Metadata m = meta;
        FileHandle h = files.handle(m, m.physicalOf(Lsn.container(cursor)));
        sealed.add(new PendingBlock(block, h, Lsn.offset(cursor), block.capacity() == m.policy().blockSize()));
        sealedBytes += length;
        cursor += length;
        block = null;
    }

    // ------------------------------------------------------------------ flushing (group commit)

    /** Makes every record up to and including {@code lsn} durable; returns after {@code force}. */
    public void flush(long lsn) {
        flushThrough(lsn);
    }

    /** Makes every record appended so far durable. */
    public void flush() {
        flushThrough(Lsn.INVALID);
    }

    private void flushThrough(long lsn) {
        if (!writable) {
            return;
        }
        lock.lock();
        try {
            for (;;) {
                checkUsable();
                boolean all = lsn == Lsn.INVALID || !Lsn.less(lsn, cursor);
                boolean inOpenBlock = all && block != null;
                if (!inOpenBlock && !Lsn.less(durableEnd, all ? cursor : lsn + 1)) {
                    return;
                }
                if (busy) {
                    idle.awaitUninterruptibly();
                    continue;
                }
                if (inOpenBlock) {
                    seal();
                }
                if (sealed.isEmpty()) {
                    return;
                }
                busy = true;
                ArrayList<PendingBlock> batch = sealed;
                sealed = writing;
                writing = batch;
                sealedBytes = 0;
                long end = cursor;
                IOException error = null;
                lock.unlock();
                try {
                    writeBatch(batch);
                } catch (IOException e) {
                    error = e;
                } finally {
                    lock.lock();
                }
                try {
                    if (error != null) {
                        throw fail("flush", error);
                    }
                    durableEnd = end;
                    recycle(batch);
                } finally {
                    busy = false;
                    idle.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the blocks, one gathering write per run of adjacent blocks in one container, and
     * forces each container written. Only the owner of {@code busy} calls it.
     */
    private void writeBatch(List<PendingBlock> batch) throws IOException {
        int n = batch.size();
        if (gather.length < n) {
            gather = new ByteBuffer[Math.max(n, 2 * gather.length)];
        }
        int from = 0;
        for (int i = 0; i < n; i++) {
            PendingBlock b = batch.get(i);
            gather[i] = b.buffer;
            boolean runEnds = i + 1 == n || batch.get(i + 1).handle != b.handle
                    || batch.get(i + 1).fileOffset != b.fileOffset + b.buffer.remaining();
            if (runEnds) {
                PendingBlock first = batch.get(from);
                first.handle.write(gather, from, i + 1 - from, first.fileOffset);
                if (i + 1 == n || batch.get(i + 1).handle != b.handle) {
                    b.handle.force();
                }
                from = i + 1;
            }
        }
        Arrays.fill(gather, 0, n, null);
    }

    private void recycle(List<PendingBlock> batch) {
        for (PendingBlock b : batch) {
            if (b.pooled) {
                b.buffer.clear();
                pool.push(b.buffer);
            }
        }
        batch.clear();
    }

    /** Seals and writes everything, with the lock held and {@code busy} owned by the caller. */
    private void writeAllLocked() throws IOException {
        if (block != null) {
            seal();
        }
        if (!sealed.isEmpty()) {
            writeBatch(sealed);
            recycle(sealed);
            sealedBytes = 0;
        }
        durableEnd = cursor;
    }

    // ------------------------------------------------------------------ containers

    private void switchContainer() {
        long from = Lsn.container(cursor);
        while (busy) {
            idle.awaitUninterruptibly();
        }
        checkUsable();
        if (Lsn.container(cursor) != from) {
            return; // another thread switched while this one waited
        }
        busy = true;
        try {
            if (block != null) {
                seal();
            }
            long next = from + 1;
            if (meta.physicalOf(next) < 0) {
                assignContainer(next); // a log-full error leaves the old container's room usable
            }
            sealFiller();
            // The old container's blocks stay pending: the next flush forces them, before the new
            // container's, with the same fsync that makes the client's records durable.
            cursor = Lsn.of(next, Layout.CONTAINER_HEADER_SIZE);
            pushTailsTowardsTarget();
        } catch (IOException e) {
            throw fail("switch to a new container", e);
        } catch (ClfsIOException e) {
            failure = e;
            throw e;
        } finally {
            busy = false;
            idle.signalAll();
        }
    }

    /**
     * Covers the rest of the container with an empty block. A writer that crashed may have left
     * unacknowledged blocks past the recovered end; once the chain leaves the container they would
     * lie below the durable end, outside the chain, yet still load by LSN. The filler overwrites them.
     */
    private void sealFiller() {
        long room = meta.policy().containerSize() - Lsn.offset(cursor);
        if (room < Layout.SECTOR) {
            return;
        }
        ByteBuffer filler = ByteBuffer.allocate((int) room).order(ByteOrder.LITTLE_ENDIAN);
        sequence++;
        lastBlockEpoch = epoch;
        BlockHeader.write(filler, 0, (int) room, Layout.BLOCK_HEADER_SIZE, Lsn.container(cursor), 0, sequence, epoch);
        BlockHeader.seal(filler, 0, checksum);
        Metadata m = meta;
        sealed.add(new PendingBlock(filler, files.handle(m, m.physicalOf(Lsn.container(cursor))), Lsn.offset(cursor),
                false));
        sealedBytes += room;
        cursor += room;
    }

    /** Finds a physical container for {@code logical}: free, reclaimed, grown, or after tail pushing. */
    private void assignContainer(long logical) throws IOException {
        for (int attempt = 0; ; attempt++) {
            if (meta.physicalOf(logical) >= 0) {
                return; // assigned ahead by a metadata write while the tails were being pushed
            }
            refreshArchiveTails();
            List<Metadata.ContainerEntry> assigned = tableAssigning(logical, true);
            if (assigned != null) {
                List<Metadata.ContainerEntry> kept = shrunk(meta, assigned);
                boolean moveCheckpoint = freesCheckpoint(kept);
                if (moveCheckpoint) {
                    // A checkpoint names a durable block boundary. The old container ends here, so its
                    // filler goes out with the same force instead of costing the next flush a second one.
                    sealFiller();
                    writeAllLocked();
                }
                writeTable(assigned, kept, moveCheckpoint);
                return;
            }
            if (attempt == 0 && tailPush != null) {
                pushTails(Lsn.of(meta.oldestLogical() + 1, Layout.CONTAINER_HEADER_SIZE));
                continue;
            }
            throw new LogFullException(describeFull(meta));
        }
    }

    /**
     * The container table with {@code logical} given a free or reclaimable container, or a new one
     * when {@code mayGrow}; null when there is none.
     */
    private List<Metadata.ContainerEntry> tableAssigning(long logical, boolean mayGrow) throws IOException {
        Metadata m = meta;
        List<Metadata.ContainerEntry> table = reclaimed(m);
        int physical = firstFree(table);
        if (physical < 0 && mayGrow && table.size() < m.policy().maxContainers()) {
            table = grown(m, table);
            physical = firstFree(table);
        }
        if (physical < 0) {
            return null;
        }
        List<Metadata.ContainerEntry> assigned = new ArrayList<>(table.size());
        for (Metadata.ContainerEntry c : table) {
            assigned.add(c.physicalId() == physical ? new Metadata.ContainerEntry(physical, logical) : c);
        }
        return assigned;
    }

    private boolean freesCheckpoint(List<Metadata.ContainerEntry> kept) {
        long logical = Lsn.container(meta.checkpoint().position());
        return meta.physicalOf(logical) >= 0 && freedBy(kept, logical);
    }

    /** Writes the metadata with the table {@code kept}, then deletes the files auto-shrink dropped from {@code assigned}. */
    private void writeTable(List<Metadata.ContainerEntry> assigned, List<Metadata.ContainerEntry> kept,
                            boolean checkpoint) throws IOException {
        Metadata before = meta;
        writeMetadataLocked(x -> x.withContainers(kept), checkpoint);
        for (Metadata.ContainerEntry c : assigned) {
            if (!containsPhysical(kept, c.physicalId())) {
                files.delete(before, c.physicalId());
            }
        }
    }

    // The table helpers below run about once per container, too rarely to be compiled: plain
    // loops keep them cheap in the interpreter.

    private static boolean freedBy(List<Metadata.ContainerEntry> table, long logical) {
        for (Metadata.ContainerEntry c : table) {
            if (c.logicalId() == logical) {
                return false;
            }
        }
        return true;
    }

    private static int firstFree(List<Metadata.ContainerEntry> table) {
        int first = -1;
        for (Metadata.ContainerEntry c : table) {
            if (c.free() && (first < 0 || c.physicalId() < first)) {
                first = c.physicalId();
            }
        }
        return first;
    }

    /** The lowest LSN any stream still needs: space below it can be reclaimed. */
    private long reclaimPoint() {
        long point = cursor;
        for (StreamState s : streams.values()) {
            point = Lsn.min(point, s.lowerTail(meta.archiveEnabled()));
        }
        Map<Object, Long> pins = SCAN_PINS.get(pinKey);
        if (pins != null) {
            for (long logical : pins.values()) {
                point = Lsn.min(point, Lsn.of(logical, 0));
            }
        }
        return point;
    }

    /** The table with every container wholly below the reclaim point marked free. */
    private List<Metadata.ContainerEntry> reclaimed(Metadata m) {
        long below = Lsn.container(reclaimPoint());
        long active = Lsn.container(cursor);
        List<Metadata.ContainerEntry> out = new ArrayList<>(m.containers().size());
        for (Metadata.ContainerEntry c : m.containers()) {
            out.add(reclaimable(c, below, active) ? new Metadata.ContainerEntry(c.physicalId(), 0) : c);
        }
        return out;
    }

    private int reclaimableCount(Metadata m) {
        long below = Lsn.container(reclaimPoint());
        long active = Lsn.container(cursor);
        int n = 0;
        for (Metadata.ContainerEntry c : m.containers()) {
            if (reclaimable(c, below, active)) {
                n++;
            }
        }
        return n;
    }

    private static boolean reclaimable(Metadata.ContainerEntry c, long below, long active) {
        return !c.free() && c.logicalId() < below && c.logicalId() != active;
    }

    /** Creates up to a growth step of new, durable container files and returns the table listing them. */
    private List<Metadata.ContainerEntry> grown(Metadata m, List<Metadata.ContainerEntry> table) throws IOException {
        List<Metadata.ContainerEntry> out = new ArrayList<>(table);
        int add = Math.min(m.policy().growthStep(), m.policy().maxContainers() - table.size());
        for (int i = 0; i < add; i++) {
            int id = 0;
            while (containsPhysical(out, id)) {
                id++;
            }
            files.forget(id);
            files.create(m, id);
            out.add(new Metadata.ContainerEntry(id, 0));
        }
        return out;
    }

    private static boolean containsPhysical(List<Metadata.ContainerEntry> table, int id) {
        for (Metadata.ContainerEntry c : table) {
            if (c.physicalId() == id) {
                return true;
            }
        }
        return false;
    }

    /** Drops free containers beyond the minimum while more than the auto-shrink share is free. */
    private static List<Metadata.ContainerEntry> shrunk(Metadata m, List<Metadata.ContainerEntry> table) {
        int percent = m.policy().autoShrinkPercent();
        if (percent == 0) {
            return table;
        }
        List<Metadata.ContainerEntry> out = new ArrayList<>(table);
        out.sort(Comparator.comparingInt(Metadata.ContainerEntry::physicalId).reversed());
        for (;;) {
            long free = out.stream().filter(Metadata.ContainerEntry::free).count();
            if (out.size() <= m.policy().minContainers() || free * 100 <= (long) percent * out.size()) {
                break;
            }
            Metadata.ContainerEntry victim = out.stream().filter(Metadata.ContainerEntry::free).findFirst()
                    .orElseThrow();
            out.remove(victim);
        }
        out.sort(Comparator.comparingInt(Metadata.ContainerEntry::physicalId));
        return out;
    }

    /** Asks clients to move their tails when free space is under the policy's target. */
    private void pushTailsTowardsTarget() {
        int target = meta.policy().freeSpaceTargetPercent();
        if (target == 0 || tailPush == null) {
            return;
        }
        Metadata m = meta;
        long total = (long) m.policy().maxContainers() * m.policy().usableContainerBytes();
        if (freeBytesLocked() * 100 >= (long) target * total) {
            return;
        }
        long needed = (target * total / 100 - freeBytesLocked()) / m.policy().usableContainerBytes() + 1;
        long logical = Math.min(m.oldestLogical() + needed, Lsn.container(cursor));
        pushTails(Lsn.of(logical, Layout.CONTAINER_HEADER_SIZE));
    }

    /**
     * Calls the tail-push callback for each stream. It runs with the lock held but the files free,
     * so that the callback may move tails of this log.
     */
    private void pushTails(long target) {
        TailPushCallback callback = tailPush;
        if (callback == null) {
            return;
        }
        if (Lsn.less(durableEnd, target)) {
            try {
                writeAllLocked(); // tails move only onto durable records
            } catch (IOException e) {
                throw fail("flush before asking for tails", e);
            }
        }
        long bounded = Lsn.min(target, durableEnd);
        busy = false;
        try {
            for (StreamState s : List.copyOf(streams.values())) {
                if (Lsn.less(s.lowerTail(meta.archiveEnabled()), bounded)) {
                    callback.advanceTails(s.name, bounded);
                }
            }
        } finally {
            busy = true;
        }
    }

    private String describeFull(Metadata m) {
        StringBuilder sb = new StringBuilder("log full: ").append(dir).append(": all ")
                .append(m.containers().size()).append(" containers (maximum ").append(m.policy().maxContainers())
                .append(") hold records still needed; the space is pinned by ");
        StreamState lowest = null;
        for (StreamState s : streams.values()) {
            if (lowest == null || Lsn.less(s.lowerTail(m.archiveEnabled()), lowest.lowerTail(m.archiveEnabled()))) {
                lowest = s;
            }
        }
        if (lowest != null) {
            boolean archive = m.archiveEnabled() && Lsn.less(lowest.archiveTail, lowest.base);
            sb.append(archive ? "the archive tail" : "the base LSN").append(" of stream '").append(lowest.name)
                    .append("' at ").append(Lsn.toString(archive ? lowest.archiveTail : lowest.base));
        }
        if (reservedTotal > 0) {
            sb.append(lowest != null ? " and " : "").append(reservedTotal).append(" reserved bytes");
        }
        Map<Object, Long> pins = SCAN_PINS.get(pinKey);
        if (pins != null && !pins.isEmpty()) {
            sb.append(" and ").append(pins.size()).append(" open archive scan(s)");
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ space and reservations

    /** Bytes left for appends: the active container's rest, free and reclaimable containers, and growth room. */
    private long freeBytesLocked() {
        Metadata m = meta;
        long usable = m.policy().usableContainerBytes();
        long active = m.policy().containerSize() - Lsn.offset(cursor) - (block != null ? blockFill : 0);
        long spare = spareContainers(m);
        return Math.max(0, active) + spare * usable;
    }

    /** Containers an append can still fill: free, reclaimable, assigned ahead (still empty), and growth room. */
    private long spareContainers(Metadata m) {
        long active = Lsn.container(cursor);
        long free = m.containers().stream().filter(c -> c.free() || c.logicalId() > active).count();
        return free + reclaimableCount(m) + Math.max(0, m.policy().maxContainers() - m.containers().size());
    }

    /**
     * The exact worst-case space records of these payload sizes take: each record's header and
     * alignment, and the block framing a record may need when it starts a block.
     */
    public static long spaceFor(int... payloadSizes) {
        long total = 0;
        for (int size : payloadSizes) {
            if (size < 0) {
                throw new IllegalArgumentException("negative record size " + size);
            }
            total += Layout.recordSpace(size) + RESERVED_FRAMING;
        }
        return total;
    }

    /** What reservations can still be guaranteed, with {@code largest} the biggest reserved record. */
    private long reservableCapacity(long activeRoom, long spare, long largest) {
        long usable = meta.policy().usableContainerBytes();
        return Math.max(0, activeRoom - largest) + spare * Math.max(0, usable - largest);
    }

    private long largestReserved(long extra) {
        long largest = extra;
        for (Reservation r : reservations) {
            largest = Math.max(largest, r.largestRecord());
        }
        return largest;
    }

    private long activeRoom() {
        return meta.policy().containerSize() - Lsn.offset(cursor) - (block != null ? blockFill : 0);
    }

    /** An unreserved append may not take space that reservations were promised. */
    private void checkRoomBesideReservations(long cost) {
        long room = activeRoom();
        long spare = spareContainers(meta);
        if (cost <= room) {
            room -= cost;
        } else {
            spare -= 1;
            room = meta.policy().usableContainerBytes() - cost;
        }
        if (spare < 0 || reservableCapacity(room, spare, largestReserved(0)) < reservedTotal) {
            throw new LogFullException("log full: " + dir + ": the append of " + cost + " bytes would take space"
                    + " reserved for " + reservedTotal + " bytes of records; " + describeFull(meta));
        }
    }

    Reservation reserve(LogStream stream, StreamState s, int... payloadSizes) {
        checkWritable();
        long bytes = spaceFor(payloadSizes);
        long largest = 0;
        for (int size : payloadSizes) {
            largest = Math.max(largest, Layout.recordSpace(size) + RESERVED_FRAMING);
        }
        if (Layout.blockLength(largest) > meta.policy().usableContainerBytes()) {
            throw new IllegalArgumentException("a reserved record of " + largest + " bytes does not fit a container");
        }
        lock.lock();
        try {
            checkUsable();
            long capacity = reservableCapacity(activeRoom(), spareContainers(meta), largestReserved(largest));
            if (capacity < reservedTotal + bytes) {
                throw new LogFullException("log full: " + dir + ": cannot reserve " + bytes + " bytes beside "
                        + reservedTotal + " already reserved; at most " + capacity + " can be guaranteed");
            }
            Reservation r = new Reservation(stream, bytes, largest);
            reservations.add(r);
            reservedTotal += bytes;
            s.reservedBytes += bytes;
            return r;
        } finally {
            lock.unlock();
        }
    }

    void release(StreamState s, Reservation r) {
        lock.lock();
        try {
            if (reservations.remove(r)) {
                long left = r.takeRemaining();
                reservedTotal -= left;
                s.reservedBytes -= left;
            }
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ metadata updates

    /**
     * Writes the metadata from this writer's state, after making every appended record durable, so
     * that the vouched end covers them. {@code change} runs with the lock held and the files idle.
     */
    private void metadataUpdate(boolean checkpoint, Runnable change) {
        checkWritable();
        lock.lock();
        try {
            while (busy) {
                idle.awaitUninterruptibly();
            }
            checkUsable();
            busy = true;
            try {
                writeAllLocked();
                change.run();
                // The next container is assigned in this write when one is free, so that the switch
                // to it needs no metadata write of its own. Nothing is pending, so a checkpoint is free.
                long next = Lsn.container(cursor) + 1;
                List<Metadata.ContainerEntry> assigned = meta.physicalOf(next) < 0 ? tableAssigning(next, false) : null;
                if (assigned == null) {
                    writeMetadataLocked(UnaryOperator.identity(), checkpoint);
                } else {
                    List<Metadata.ContainerEntry> kept = shrunk(meta, assigned);
                    writeTable(assigned, kept, checkpoint || freesCheckpoint(kept));
                }
            } catch (IOException e) {
                throw fail("write metadata", e);
            } finally {
                busy = false;
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** With every block written: the metadata as this writer knows it, merged with archive tails on disk. */
    private void writeMetadataLocked(UnaryOperator<Metadata> change, boolean checkpoint) {
        try {
            meta = store.update(disk -> {
                if (disk.ownerEpoch() != epoch) {
                    throw new OwnerFencedException("log " + dir + " was opened by a newer writer (owner epoch "
                            + disk.ownerEpoch() + ", this writer's " + epoch + "): this writer is fenced");
                }
                mergeArchiveTails(disk);
                Metadata.Checkpoint cp = meta.checkpoint();
                if (checkpoint) {
                    for (StreamState s : streams.values()) {
                        s.checkpointLastLsn = s.lastLsn;
                        s.checkpointLastDataLsn = s.lastDataLsn;
                    }
                    cp = new Metadata.Checkpoint(cursor, sequence, lastBlockEpoch);
                }
                List<Metadata.StreamEntry> entries = new ArrayList<>(streams.size());
                for (StreamState s : byId) { // in id order
                    if (s != null) {
                        entries.add(s.entry());
                    }
                }
                return change.apply(disk.withStreams(entries).withCheckpoint(cp).withVouchedEnd(durableEnd)
                        .withPolicy(meta.policy()).withContainers(meta.containers()));
            });
        } catch (OwnerFencedException | ClfsIOException e) {
            // Fail-stop: after a metadata write that may or may not have reached the disk, nothing
            // more is acknowledged until the log is reopened and recovered.
            failure = e;
            throw e;
        }
    }

    private void mergeArchiveTails(Metadata disk) {
        for (Metadata.StreamEntry e : disk.streams()) {
            StreamState s = byId[e.id()];
            if (s != null && Lsn.less(s.archiveTail, e.archiveTail())) {
                s.archiveTail = e.archiveTail();
            }
        }
    }

    /** An archiver in another process may have moved archive tails: take them before reclaiming. */
    private void refreshArchiveTails() {
        if (meta.archiveEnabled()) {
            mergeArchiveTails(store.readNewest());
        }
    }

    // ------------------------------------------------------------------ tails and restart areas

    long writeRestartArea(StreamState s, ByteBuffer data, long newBase) {
        // Checked first: a refused base must not leave a restart record the metadata never names.
        if (newBase != Lsn.INVALID) {
            flush(newBase);
            checkTailTarget(s, newBase, "base LSN", s.base);
        }
        long lsn = append(s, RecordType.RESTART, true, 0, 0, null, false, data);
        flush(lsn);
        metadataUpdate(true, () -> {
            s.restartLsn = Lsn.max(s.restartLsn == Lsn.INVALID ? 0 : s.restartLsn, lsn);
            if (newBase != Lsn.INVALID && Lsn.less(s.base, newBase)) {
                s.base = newBase;
            }
        });
        return lsn;
    }

    void advanceBase(StreamState s, long lsn) {
        moveTails(s, lsn, Lsn.INVALID);
    }

    void setArchiveTail(StreamState s, long lsn) {
        if (writable) {
            moveTails(s, Lsn.INVALID, lsn);
            return;
        }
        checkArchiveEnabled();
        if (lsn == s.archiveTail) {
            return;
        }
        checkTailTarget(s, lsn, "archive tail", s.archiveTail);
        meta = store.update(disk -> {
            Metadata.StreamEntry e = disk.stream(s.id);
            if (e == null) {
                throw new InvalidTailMoveException("log " + dir + " has no stream '" + s.name + "' on disk");
            }
            if (Lsn.less(lsn, e.archiveTail())) {
                throw new InvalidTailMoveException("archive tail of stream '" + s.name + "' only moves forward: it is "
                        + Lsn.toString(e.archiveTail()) + ", asked for " + Lsn.toString(lsn));
            }
            return disk.withStream(s.id, x -> new Metadata.StreamEntry(x.id(), x.name(), x.base(), lsn,
                    x.restartLsn(), x.lastLsn(), x.lastDataLsn()));
        });
        s.archiveTail = lsn;
    }

    /** Moves either tail or both ({@link Lsn#INVALID} leaves one where it is) with one metadata write. */
    void moveTails(StreamState s, long base, long archiveTail) {
        checkWritable();
        boolean moveBase = base != Lsn.INVALID && base != s.base;
        boolean moveArchive = archiveTail != Lsn.INVALID;
        if (moveArchive) {
            checkArchiveEnabled();
            moveArchive = archiveTail != s.archiveTail;
        }
        if (moveBase) {
            checkTailTarget(s, base, "base LSN", s.base);
        }
        if (moveArchive && !(moveBase && archiveTail == base)) { // one record need not be checked twice
            checkTailTarget(s, archiveTail, "archive tail", s.archiveTail);
        }
        if (!moveBase && !moveArchive) {
            return;
        }
        boolean b = moveBase;
        boolean a = moveArchive;
        metadataUpdate(false, () -> {
            if (b && Lsn.less(s.base, base)) {
                s.base = base;
            }
            if (a && Lsn.less(s.archiveTail, archiveTail)) {
                s.archiveTail = archiveTail;
            }
        });
    }

    private void checkArchiveEnabled() {
        if (!meta.archiveEnabled()) {
            throw new InvalidTailMoveException("log " + dir + " is ephemeral: it has no archive tail");
        }
    }

    /** A tail moves forward only, and only onto a durable record of its stream. */
    private void checkTailTarget(StreamState s, long lsn, String tail, long current) {
        if (!writable && !Lsn.less(lsn, durableEnd)) {
            refresh();
        }
        if (Lsn.less(lsn, current)) {
            throw new InvalidTailMoveException(tail + " of stream '" + s.name + "' only moves forward: it is "
                    + Lsn.toString(current) + ", asked for " + Lsn.toString(lsn));
        }
        try {
            if (writable && isNewestOf(s, lsn)) {
                checkReadable(s, lsn); // a record this writer knows, so only durability and tails are left
            } else {
                readRecord(new BlockCursor(files, meta), s, lsn);
            }
        } catch (NotARecordException | LsnBelowTailsException e) {
            throw new InvalidTailMoveException("cannot move the " + tail + " of stream '" + s.name + "' to "
                    + Lsn.toString(lsn) + ": " + e.getMessage());
        }
    }

    /**
     * Whether {@code lsn} is the newest record, data record or restart record of {@code s}: records
     * this writer appended or recovered. Clients usually move a tail to one of them (after a flush or a
     * restart area), and then the check needs no read of the container.
     */
    private boolean isNewestOf(StreamState s, long lsn) {
        lock.lock();
        try {
            return lsn != Lsn.INVALID && (lsn == s.lastLsn || lsn == s.lastDataLsn || lsn == s.lastRestartAppended);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ reading

    long durableEnd() {
        return durableEnd;
    }

    long maxEpoch() {
        return writable ? epoch : meta.ownerEpoch();
    }

    Metadata metadata() {
        return meta;
    }

    ContainerFiles files() {
        return files;
    }

    /** Reads the record at {@code lsn}, which must be a durable record of {@code s} at or above its tails. */
    LogRecord readRecord(BlockCursor c, StreamState s, long lsn) {
        checkOpen();
        if (!writable && !Lsn.less(lsn, durableEnd)) {
            refresh();
        }
        checkReadable(s, lsn);
        c.metadata(meta);
        int at = locate(c, lsn);
        if (at < 0) {
            throw new NotARecordException("LSN " + Lsn.toString(lsn) + " is not a record in log " + dir);
        }
        ByteBuffer b = c.buffer();
        if (RecordHeader.stream(b, at) != s.id) {
            throw new NotARecordException("LSN " + Lsn.toString(lsn) + " is a record of another stream, not of '"
                    + s.name + "'");
        }
        return toRecord(c, at, s);
    }

    void checkReadable(StreamState s, long lsn) {
        long lower = s.lowerTail(meta.archiveEnabled());
        if (Lsn.less(lsn, lower)) {
            throw new LsnBelowTailsException("LSN " + Lsn.toString(lsn) + " of stream '" + s.name + "' in log " + dir
                    + " is below its tails (base LSN " + Lsn.toString(s.base)
                    + (meta.archiveEnabled() ? ", archive tail " + Lsn.toString(s.archiveTail) : "")
                    + "): the record is gone");
        }
        if (!Lsn.less(lsn, durableEnd)) {
            throw new NotARecordException("LSN " + Lsn.toString(lsn) + " is at or past the durable end "
                    + Lsn.toString(durableEnd) + " of log " + dir);
        }
    }

    /**
     * Loads the block holding the record at {@code lsn} and returns the record's buffer offset, or
     * -1 when no record starts there. The block is found through the record's offset-in-block field
     * and then walked from its start, stepping over records by their lengths, so an LSN inside a record
     * is never taken for one. Only the record found is checked in full.
     */
    static int locate(BlockCursor c, long lsn) {
        long start = c.blockStartOf(lsn);
        if (start < 0) {
            return -1;
        }
        if (!c.load(Lsn.of(Lsn.container(lsn), start))) {
            if (c.damaged()) {
                throw new CorruptLogException(c.faultFile(), c.faultOffset(), c.fault());
            }
            return -1;
        }
        long rel = Lsn.offset(lsn) - start;
        return rel < c.dataLength() ? findRecord(c, (int) rel) : -1;
    }

    private static int findRecord(BlockCursor c, int rel) {
        for (int at = c.firstRecord(); at >= 0 && at <= rel; at = c.nextRecord(at)) {
            if (at == rel) {
                c.checkRecord(at);
                return at;
            }
            c.checkRecordBounds(at); // the block's checksum held; stepping over a record needs only its length
        }
        return -1;
    }

    LogRecord toRecord(BlockCursor c, int at, StreamState s) {
        ByteBuffer b = c.buffer();
        int length = RecordHeader.length(b, at);
        byte[] data = new byte[length - Layout.RECORD_HEADER_SIZE];
        b.get(at + Layout.RECORD_HEADER_SIZE, data);
        return new LogRecord(c.position() + at, RecordType.fromCode(RecordHeader.type(b, at)),
                s != null ? s.name : byId[RecordHeader.stream(b, at)].name, RecordHeader.previous(b, at),
                RecordHeader.undoNext(b, at), ByteBuffer.wrap(data).asReadOnlyBuffer());
    }

    StreamState streamById(int id) {
        return id < byId.length ? byId[id] : null;
    }

    /**
     * For a read-only log: takes the newest metadata (tails moved by the writer or an archiver) and
     * follows the block chain past the known end. Returns whether new durable blocks were found. A
     * writer's own log is always current: there it does nothing and returns false.
     */
    public boolean refresh() {
        if (writable) {
            return false;
        }
        lock.lock();
        try {
            Metadata m = store.readNewest();
            long before = durableEnd;
            meta = m;
            for (Metadata.StreamEntry e : m.streams()) {
                StreamState s = byId[e.id()];
                if (s == null) {
                    addStream(new StreamState(e));
                } else {
                    s.base = e.base();
                    s.archiveTail = e.archiveTail();
                    if (e.restartLsn() != Lsn.INVALID) {
                        s.restartLsn = Lsn.max(s.restartLsn == Lsn.INVALID ? 0 : s.restartLsn, e.restartLsn());
                    }
                }
            }
            if (m.physicalOf(Lsn.container(cursor)) < 0 && m.physicalOf(Lsn.container(cursor) + 1) < 0) {
                scanToEnd(m, m.checkpoint(), false);
            } else {
                scanToEnd(m, new Metadata.Checkpoint(cursor, sequence, lastBlockEpoch), false);
            }
            return Lsn.less(before, durableEnd);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ archive scan

    /** The container ranges from the lowest archive tail to the durable end; see {@link ArchiveScan}. */
    public ArchiveScan archiveScan() {
        checkOpen();
        if (!meta.archiveEnabled()) {
            throw new ClfsException("log " + dir + " is ephemeral: it has no archive tail to scan from");
        }
        long tail = durableEnd;
        for (StreamState s : streams.values()) {
            tail = Lsn.min(tail, s.archiveTail);
        }
        Object token = new Object();
        Map<Object, Long> pins = SCAN_PINS.computeIfAbsent(pinKey, k -> new ConcurrentHashMap<>());
        pins.put(token, Lsn.container(tail));
        try {
            List<ArchiveScan.Range> ranges = scanRanges(tail);
            return new ArchiveScan(ranges, () -> pins.remove(token));
        } catch (RuntimeException e) {
            pins.remove(token);
            throw e;
        }
    }

    /**
     * A block boundary at the very end of a container (where a stream created there has its tails)
     * is the same place in the log as the start of the next container: the chain goes on there.
     */
    long normalizedBoundary(long position) {
        // Only the very end: a record may start in a container's last sector.
        if (Lsn.offset(position) >= meta.policy().containerSize()) {
            return Lsn.of(Lsn.container(position) + 1, Layout.CONTAINER_HEADER_SIZE);
        }
        return position;
    }

    private List<ArchiveScan.Range> scanRanges(long tail) {
        Metadata m = meta;
        long from = normalizedBoundary(tail);
        BlockCursor c = new BlockCursor(files, m);
        long end = durableEnd;
        if (!Lsn.less(from, end)) {
            return List.of();
        }
        if (!c.load(from)) {
            if (locate(c, from) < 0) {
                throw new NotARecordException("archive tail " + Lsn.toString(from) + " is neither a block nor a record");
            }
        }
        Map<Long, long[]> byContainer = new LinkedHashMap<>();
        do {
            if (!Lsn.less(c.position(), end)) {
                break;
            }
            long logical = Lsn.container(c.position());
            long start = Lsn.offset(c.position());
            long stop = start + c.blockLength();
            byContainer.merge(logical, new long[]{start, stop}, (a, b) -> new long[]{a[0], b[1]});
            c.follow();
        } while (c.next(maxEpoch()));
        List<ArchiveScan.Range> out = new ArrayList<>();
        for (Map.Entry<Long, long[]> e : byContainer.entrySet()) {
            long[] r = e.getValue();
            out.add(new ArchiveScan.Range(files.path(m, m.physicalOf(e.getKey())), e.getKey(), r[0], r[1] - r[0],
                    Lsn.of(e.getKey(), r[0]), Lsn.of(e.getKey(), r[1])));
        }
        return out;
    }

    // ------------------------------------------------------------------ policy and info

    public LogPolicy policy() {
        return meta.policy();
    }

    /** Changes the policies; the container and block size are fixed at creation. */
    public void setPolicy(LogPolicy policy) {
        LogPolicy current = meta.policy();
        if (policy.containerSize() != current.containerSize()) {
            throw new IllegalArgumentException("containerSize is fixed at creation (" + current.containerSize() + ")");
        }
        if (policy.blockSize() != current.blockSize()) {
            throw new IllegalArgumentException("blockSize is fixed at creation (" + current.blockSize() + ")");
        }
        if (!policy.containerPrefix().equals(current.containerPrefix())
                || !policy.containerSuffix().equals(current.containerSuffix())) {
            throw new IllegalArgumentException("container file names are fixed at creation");
        }
        if (policy.maxContainers() < meta.containers().size()) {
            throw new IllegalArgumentException("maxContainers " + policy.maxContainers() + " is below the "
                    + meta.containers().size() + " containers the log has");
        }
        metadataUpdate(false, () -> {
            Metadata m = meta.withPolicy(policy);
            try {
                List<Metadata.ContainerEntry> table = new ArrayList<>(m.containers());
                while (table.size() < policy.minContainers()) {
                    table = grown(m.withPolicy(policy.withGrowthStep(1)), table);
                }
                meta = m.withContainers(table);
            } catch (IOException e) {
                throw fail("grow to the new minimum", e);
            }
        });
    }

    public LogInfo info() {
        checkOpen();
        lock.lock();
        try {
            Metadata m = meta;
            List<LogInfo.ContainerInfo> containers = m.containers().stream()
                    .sorted(Comparator.comparingInt(Metadata.ContainerEntry::physicalId))
                    .map(c -> new LogInfo.ContainerInfo(files.path(m, c.physicalId()).getFileName().toString(),
                            c.physicalId(), c.logicalId(),
                            c.free() ? LogInfo.ContainerState.FREE
                                    : c.logicalId() > Lsn.container(cursor) ? LogInfo.ContainerState.READY
                                    : LogInfo.ContainerState.ACTIVE))
                    .toList();
            List<LogInfo.StreamInfo> infos = streams.values().stream().sorted(Comparator.comparingInt(s -> s.id))
                    .map(s -> new LogInfo.StreamInfo(s.name, s.base, s.archiveTail,
                            s.lastLsn, s.restartLsn, s.reservedBytes))
                    .toList();
            return new LogInfo(dir, new UUID(m.logIdHi(), m.logIdLo()).toString(), m.kind(), m.archiveEnabled(),
                    m.policy(), m.ownerEpoch(), durableEnd, freeBytesLocked(), reservedTotal, containers, infos);
        } finally {
            lock.unlock();
        }
    }

    Collection<StreamState> streamStates() {
        return streams.values();
    }

    // ------------------------------------------------------------------ failure and close

    private void checkWritable() {
        checkOpen();
        if (!writable) {
            throw new IllegalStateException("log " + dir + " is open read-only");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("log " + dir + " is closed");
        }
    }

    private void checkUsable() {
        checkOpen();
        ClfsException f = failure;
        if (f != null) {
            throw new ClfsIOException("log " + dir + " stopped after an earlier failure and must be reopened: "
                    + f.getMessage());
        }
    }

    private ClfsException fail(String what, IOException e) {
        ClfsIOException failed = new ClfsIOException("log " + dir + ": cannot " + what, e);
        failure = failed;
        return failed;
    }

    /** Failed writers stop: true once an I/O error or fencing has stopped this log. */
    public boolean failed() {
        return failure != null;
    }

    /** Makes everything durable, records it in the metadata, and releases the log. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            if (writable && failure == null) {
                metadataUpdate(true, () -> { });
            }
        } finally {
            closed = true;
            closeQuietly(store, files, ownerLock);
        }
    }
}

package io.clfs.log.engine;

import io.clfs.log.ClfsException;
import io.clfs.log.ClfsIOException;
import io.clfs.log.Lsn;
import io.clfs.log.format.Layout;
import io.clfs.log.io.FileIO;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state every room of one open log shares: its files, the metadata as last written or read,
 * the streams, where the next block goes, the durable end, and whether the log has failed.
 *
 * <p>{@link #lock} guards every mutable field here and in {@link StreamState}; {@link #files}'s
 * writes also need {@link #ownership}. The metadata, the durable end, the failure and the closed
 * flag are volatile so that reads and status calls may look at them without the lock. This class
 * decides nothing: it must never write a file.
 */
public final class LogCore {
    /**
     * How long a takeover's fence waits for {@code clfs.meta.lock} before taking it over too: far
     * longer than one metadata write (a write and an fsync) takes, so only a stalled holder loses it.
     */
    static final long TAKEOVER_METADATA_LOCK_MS = 5_000;

    final FileIO io;
    final Path dir;
    final boolean writable;
    final MetadataStore store;
    final ContainerFiles files;
    private final OwnerLock ownerLock;
    /** This writer's owner epoch (a reader's: the newest on disk), set once by recovery. */
    long epoch;

    final ReentrantLock lock = new ReentrantLock();
    final FileOwnership ownership = new FileOwnership(lock);
    final Map<String, StreamState> streams = new ConcurrentHashMap<>();
    final StreamState[] byId = new StreamState[Layout.MAX_STREAMS];

    volatile Metadata meta;
    /** Where the open block starts, or the next block will: the end of the chain as this log knows it. */
    long writePosition;
    /** Sequence and epoch of the block that ends at {@link #writePosition}. */
    long sequence;
    long lastBlockEpoch;
    volatile long durableEnd;
    /** Set by the close's metadata update: that write marks the log closed cleanly. */
    boolean closing;
    private volatile ClfsException failure;
    private volatile boolean closed;

    private LogCore(FileIO io, Path dir, boolean writable, MetadataStore store, ContainerFiles files,
                    OwnerLock ownerLock, Metadata meta) {
        this.io = io;
        this.dir = dir;
        this.writable = writable;
        this.store = store;
        this.files = files;
        this.ownerLock = ownerLock;
        this.epoch = meta.ownerEpoch();
        takeMetadata(meta);
        if (writable) {
            // A container opened by name may be a newer owner's new file under an old name.
            files.checkOnOpen(() -> OwnerCheck.checkFile(this));
        }
    }

    /** Takes the metadata and its streams as the state recovery starts from: before recovery only. */
    void takeMetadata(Metadata m) {
        meta = m;
        streams.clear();
        Arrays.fill(byId, null);
        for (Metadata.StreamEntry e : m.streams()) {
            addStream(new StreamState(e));
        }
    }

    /** Opens the files of the log in {@code dir} (as its one writer when {@code writable}), not yet recovered. */
    public static LogCore open(FileIO io, Path dir, boolean writable) {
        return writable ? openWriter(io, dir, null, false) : open(io, dir, null);
    }

    /**
     * Opens the files of the log in {@code dir} as its one writer, not yet recovered, naming
     * {@code owner} in {@code clfs.lock.owner}; {@code takeOver}: see {@link OwnerLock}.
     */
    public static LogCore openWriter(FileIO io, Path dir, String owner, boolean takeOver) {
        return open(io, dir, new Writer(owner, takeOver));
    }

    private record Writer(String owner, boolean takeOver) {
    }

    private static LogCore open(FileIO io, Path dir, Writer writer) {
        boolean writable = writer != null;
        MetadataStore store = new MetadataStore(io, dir, writable);
        if (!io.exists(store.file())) {
            throw new ClfsException("no log in " + dir + ": " + MetadataStore.FILE + " is missing");
        }
        OwnerLock held = null;
        ContainerFiles files = null;
        try {
            if (writable) {
                held = OwnerLock.take(io, dir, writer.takeOver);
                if (held.takenOverFrom() != null) {
                    store.takeOverLockAfter(TAKEOVER_METADATA_LOCK_MS);
                }
            }
            Metadata m = store.readNewest();
            if (writable) {
                held.describe(io, dir, writer.owner, m.ownerEpoch() + 1);
            }
            files = new ContainerFiles(io, dir, writable);
            return new LogCore(io, dir, writable, store, files, held, m);
        } catch (RuntimeException e) {
            closeQuietly(store, files, held);
            throw e;
        }
    }

    /** False once another writer took this writer's log over: see {@link OwnerLock#stillHeld}. */
    public boolean ownerLockHeld() {
        return ownerLock == null || ownerLock.stillHeld();
    }

    /** Who held the log before this writer took it over, or null: see {@link OwnerLock#takenOverFrom}. */
    public String takenOverFrom() {
        return ownerLock == null ? null : ownerLock.takenOverFrom();
    }

    /** Closes the files and releases the writer's lock, keeping quiet about errors: the log is done either way. */
    public void closeFiles() {
        closed = true;
        closeQuietly(store, files, ownerLock);
    }

    private static void closeQuietly(AutoCloseable... all) {
        for (AutoCloseable c : all) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing after the log is done or already failing: the first error is the one reported
            }
        }
    }

    public Path dir() {
        return dir;
    }

    public boolean writable() {
        return writable;
    }

    public Metadata metadata() {
        return meta;
    }

    public ContainerFiles files() {
        return files;
    }

    /** Where the next block goes (with the lock held: it moves as blocks are sealed). */
    public long writePosition() {
        return writePosition;
    }

    public long durableEnd() {
        return durableEnd;
    }

    /** The highest block epoch a reader may accept. */
    public long maxEpoch() {
        return writable ? epoch : meta.ownerEpoch();
    }

    public ReentrantLock lock() {
        return lock;
    }

    // ------------------------------------------------------------------ streams

    void addStream(StreamState s) {
        streams.put(s.name, s);
        byId[s.id] = s;
    }

    public StreamState stream(String name) {
        return streams.get(name);
    }

    public StreamState streamById(int id) {
        return id < byId.length ? byId[id] : null;
    }

    /** The streams in id order. */
    public List<StreamState> streamsById() {
        return streams.values().stream().sorted(Comparator.comparingInt(s -> s.id)).toList();
    }

    /** Adds a stream at the write position with the lowest free id; with the lock held and the files owned. */
    public void addNewStream(String name) {
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
        addStream(new StreamState(new Metadata.StreamEntry(id, name, writePosition, writePosition,
                Lsn.INVALID, Lsn.INVALID, Lsn.INVALID)));
    }

    // ------------------------------------------------------------------ failure

    public void checkOpen() {
        if (closed) {
            throw new IllegalStateException("log " + dir + " is closed");
        }
    }

    public void checkWritable() {
        checkOpen();
        if (!writable) {
            throw new IllegalStateException("log " + dir + " is open read-only");
        }
    }

    /** Open and not failed: a failed log refuses everything until it is reopened. */
    void checkUsable() {
        checkOpen();
        ClfsException f = failure;
        if (f != null) {
            throw new ClfsIOException("log " + dir + " stopped after an earlier failure and must be reopened: "
                    + f.getMessage());
        }
    }

    /** Stops the log after an I/O error; returns the error to throw. */
    ClfsException fail(String what, IOException e) {
        return failStop(new ClfsIOException("log " + dir + ": cannot " + what, e));
    }

    /** Stops the log: nothing more is acknowledged until it is reopened and recovered. */
    <E extends ClfsException> E failStop(E e) {
        failure = e;
        return e;
    }

    public boolean failed() {
        return failure != null;
    }

    public boolean closed() {
        return closed;
    }
}

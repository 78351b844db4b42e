package io.clfs.log;

import io.clfs.log.engine.Appender;
import io.clfs.log.engine.ArchiveScanner;
import io.clfs.log.engine.BlockBufferPool;
import io.clfs.log.engine.BlockWriter;
import io.clfs.log.engine.ChainFence;
import io.clfs.log.engine.GroupCommit;
import io.clfs.log.engine.LogCore;
import io.clfs.log.engine.MetadataStore;
import io.clfs.log.engine.MetadataUpdates;
import io.clfs.log.engine.MetadataWriter;
import io.clfs.log.engine.NewLog;
import io.clfs.log.engine.RecordLookup;
import io.clfs.log.engine.Recovery;
import io.clfs.log.engine.Reservations;
import io.clfs.log.engine.SpaceManager;
import io.clfs.log.engine.StreamState;
import io.clfs.log.engine.TailMoves;
import io.clfs.log.format.Layout;
import io.clfs.log.engine.Metadata;
import io.clfs.log.io.FileIO;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * A CLFS-style log in one directory: a metadata file with two alternating copies and two or more
 * fixed-size containers. Open it as the one writer ({@link #open}) or as a reader
 * ({@link #openReadOnly}), which may be in another process.
 *
 * <p>Appends go into an in-memory block (the marshalling area). A block is sealed when it is full
 * or a flush needs it, and written and forced only by a flush: concurrent flushers share one
 * {@code force} (group commit). A flush returns only after {@code FileChannel.force}. After an I/O
 * error the log is fail-stop: every later call fails until it is reopened.
 *
 * <p>This class is the facade; the work is done by the rooms of {@code io.clfs.log.engine}, which
 * {@code docs/architecture.md} describes. Thread-safe.
 */
public final class ClfsLog implements AutoCloseable {
    public static final String DEFAULT_STREAM = Layout.DEDICATED_STREAM_NAME;

    private final LogCore core;
    private final Recovery recovery;
    private final RecordLookup lookup;
    private final GroupCommit commit;
    private final SpaceManager space;
    private final MetadataUpdates updates;
    private final Appender appender;
    private final TailMoves tails;
    private final ArchiveScanner archive;

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
        return create(io, dir, kind, archive, policy, null);
    }

    /** As {@link #create(FileIO, Path, LogKind, boolean, LogPolicy)}, naming its writer (see {@link #open(FileIO, Path, String)}). */
    public static ClfsLog create(FileIO io, Path dir, LogKind kind, boolean archive, LogPolicy policy, String owner) {
        NewLog.create(io, dir, kind, archive, policy);
        return open(io, dir, owner);
    }

    public static ClfsLog open(Path dir) {
        return open(FileIO.real(), dir);
    }

    /** Opens the log as its one writer, recovering it: refused while another writer holds it. */
    public static ClfsLog open(FileIO io, Path dir) {
        return open(io, dir, null);
    }

    /**
     * As {@link #open(FileIO, Path)}, naming the writer in {@code clfs.lock.owner} beside the lock
     * (with host, pid, epoch and time): {@code owner} is a worker or task id, or null.
     */
    public static ClfsLog open(FileIO io, Path dir, String owner) {
        return new ClfsLog(LogCore.openWriter(io, dir, owner, false));
    }

    /**
     * Opens the log as its one writer even while another process holds it: for a holder that
     * stalled (a stopped process keeps its lock). It does not wait: it replaces the lock file, so
     * that the holder keeps a lock on a file no name points to, then opens as usual, and the epoch
     * bump of recovery fences the holder: its next flush fails with {@link OwnerFencedException}.
     * {@link #takenOverFrom} names the holder. A holder in this process still gets
     * {@link LogLockedException}.
     */
    public static ClfsLog openTakingOver(FileIO io, Path dir, String owner) {
        return new ClfsLog(LogCore.openWriter(io, dir, owner, true));
    }

    public static ClfsLog openReadOnly(Path dir) {
        return openReadOnly(FileIO.real(), dir);
    }

    /** Opens the log for reading and archive-tail moves, beside a writer in this or another process. */
    public static ClfsLog openReadOnly(FileIO io, Path dir) {
        return new ClfsLog(LogCore.open(io, dir, false));
    }

    public static boolean exists(Path dir) {
        return exists(FileIO.real(), dir);
    }

    /**
     * Bounds the direct memory the block buffers of all logs in this process take (default
     * {@link BlockBufferPool#DEFAULT_BUDGET}); beyond it a log fills heap blocks and flushes them at
     * once. Process-wide: the last setting wins.
     */
    public static void setDirectMemoryBudget(long bytes) {
        BlockBufferPool.shared().setBudget(bytes);
    }

    /** Whether {@code dir} holds a log: a whole one, as a log takes its name last (see docs/format.md). */
    public static boolean exists(FileIO io, Path dir) {
        return io.exists(dir.resolve(MetadataStore.FILE));
    }

    private ClfsLog(LogCore core) {
        this.core = core;
        try {
            this.recovery = new Recovery(core);
            recovery.recover();
        } catch (RuntimeException e) {
            core.closeFiles();
            throw e;
        }
        this.lookup = new RecordLookup(core, recovery);
        this.archive = new ArchiveScanner(core, lookup);
        BlockWriter writer = new BlockWriter(core);
        this.commit = new GroupCommit(core, writer);
        Reservations reservations = new Reservations(core.dir(), core.metadata().policy().usableContainerBytes());
        this.space = new SpaceManager(core, writer, commit, new MetadataWriter(core), reservations, archive);
        this.updates = new MetadataUpdates(core, commit, space);
        this.appender = new Appender(core, writer, space, commit);
        this.tails = new TailMoves(core, appender, commit, updates, lookup, recovery);
    }

    // ------------------------------------------------------------------ streams

    public Path dir() {
        return core.dir();
    }

    public LogKind kind() {
        return core.metadata().kind();
    }

    public boolean archiveEnabled() {
        return core.metadata().archiveEnabled();
    }

    public boolean writable() {
        return core.writable();
    }

    /**
     * For a writer: false once another process took the log over ({@link #openTakingOver} replaced
     * the lock file this writer holds). Its next flush fails fenced, but the blocks that flush writes
     * land where the new owner writes: a writer that finds this false should close the log without
     * another flush. One {@code stat}.
     */
    public boolean stillOwner() {
        return core.ownerLockHeld();
    }

    /** Whom {@link #openTakingOver} took the log from ({@code clfs.lock.owner} as it read it), or null if the log was free. */
    public String takenOverFrom() {
        return core.takenOverFrom();
    }

    /** The stream of a dedicated log. */
    public LogStream stream() {
        if (kind() != LogKind.DEDICATED) {
            throw new IllegalArgumentException("log " + dir() + " is multiplexed: name a stream");
        }
        return new LogStream(this, core.stream(DEFAULT_STREAM));
    }

    /** A named stream, created (durably) when the writer first asks for it in a multiplexed log. */
    public LogStream stream(String name) {
        StreamState s = core.stream(name);
        if (s != null) {
            return new LogStream(this, s);
        }
        if (kind() == LogKind.DEDICATED) {
            throw new IllegalArgumentException("log " + dir() + " is dedicated: its one stream is '" + DEFAULT_STREAM
                    + "', not '" + name + "'");
        }
        if (!writable()) {
            throw new IllegalArgumentException("log " + dir() + " has no stream '" + name + "'");
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > Layout.MAX_STREAM_NAME) {
            throw new IllegalArgumentException("stream name must have 1 to " + Layout.MAX_STREAM_NAME
                    + " UTF-8 bytes: '" + name + "'");
        }
        updates.update(() -> core.addNewStream(name));
        return new LogStream(this, core.stream(name));
    }

    public List<String> streamNames() {
        return core.streamsById().stream().map(s -> s.name).toList();
    }

    public void setTailPushCallback(TailPushCallback callback) {
        space.setTailPushCallback(callback);
    }

    // ------------------------------------------------------------------ the rooms a stream works with

    Appender appender() {
        return appender;
    }

    TailMoves tails() {
        return tails;
    }

    SpaceManager space() {
        return space;
    }

    RecordLookup lookup() {
        return lookup;
    }

    LogCore core() {
        return core;
    }

    // ------------------------------------------------------------------ flushing and reading

    /** Makes every record up to and including {@code lsn} durable; returns after {@code force}. */
    public void flush(long lsn) {
        commit.flushThrough(lsn);
    }

    /** Makes every record appended so far durable. */
    public void flush() {
        commit.flushThrough(Lsn.INVALID);
    }

    /**
     * For a read-only log: takes the newest metadata (tails moved by the writer or an archiver) and
     * follows the block chain past the known end. Returns whether new durable blocks were found. A
     * writer's own log is always current: there it does nothing and returns false.
     */
    public boolean refresh() {
        return recovery.refresh();
    }

    /** The durable end at its lowest LSN: an unclean open's move past its fence does not move it. */
    long durableEnd() {
        return ChainFence.earliest(core.metadata(), core.durableEnd());
    }

    Metadata metadata() {
        return core.metadata();
    }

    /** The container ranges from the lowest archive tail to the durable end; see {@link ArchiveScan}. */
    public ArchiveScan archiveScan() {
        ArchiveScanner.Scan scan = archive.open();
        return new ArchiveScan(scan.ranges(), scan.unpin());
    }

    // ------------------------------------------------------------------ space, policy and info

    /**
     * The exact worst-case space records of these payload sizes take: each record's header and
     * alignment, and the block framing a record may need when it starts a block.
     */
    public static long spaceFor(int... payloadSizes) {
        return Reservations.spaceFor(payloadSizes);
    }

    public LogPolicy policy() {
        return core.metadata().policy();
    }

    /** Changes the policies; the container and block size are fixed at creation. */
    public void setPolicy(LogPolicy policy) {
        space.checkPolicyChange(policy);
        updates.update(() -> space.applyPolicy(policy));
    }

    public LogInfo info() {
        core.checkOpen();
        core.lock().lock();
        try {
            Metadata m = core.metadata();
            long active = Lsn.container(core.writePosition());
            List<LogInfo.ContainerInfo> containers = m.containers().stream()
                    .sorted(Comparator.comparingInt(Metadata.ContainerEntry::physicalId))
                    .map(c -> new LogInfo.ContainerInfo(core.files().path(m, c.physicalId()).getFileName().toString(),
                            c.physicalId(), c.logicalId(),
                            c.free() ? LogInfo.ContainerState.FREE
                                    : c.logicalId() > active ? LogInfo.ContainerState.READY
                                    : LogInfo.ContainerState.ACTIVE, c.fenceOffset(), m.stale(c)))
                    .toList();
            List<LogInfo.StreamInfo> infos = core.streamsById().stream()
                    .map(s -> new LogInfo.StreamInfo(s.name, s.base, s.archiveTail, s.lastLsn, s.restartLsn,
                            s.reservedBytes()))
                    .toList();
            return new LogInfo(dir(), new UUID(m.logIdHi(), m.logIdLo()).toString(), m.kind(), m.archiveEnabled(),
                    m.policy(), m.ownerEpoch(), durableEnd(), space.freeBytes(), space.reservedBytes(), containers,
                    infos, m.fencing().closedCleanly(), m.fencing().fenceEpoch(),
                    m.fencing().fenceEpoch() > 0 ? m.fencing().fence().position() : Lsn.INVALID);
        } finally {
            core.lock().unlock();
        }
    }

    // ------------------------------------------------------------------ failure and close

    /** Failed writers stop: true once an I/O error or fencing has stopped this log. */
    public boolean failed() {
        return core.failed();
    }

    /** Makes everything durable, records it in the metadata, and releases the log. */
    @Override
    public void close() {
        if (core.closed()) {
            return;
        }
        try {
            if (core.writable() && !core.failed() && core.ownerLockHeld()) { // taken over: write nothing more
                updates.close();
            }
        } finally {
            core.closeFiles();
        }
    }
}

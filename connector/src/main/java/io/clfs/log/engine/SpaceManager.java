package io.clfs.log.engine;

import io.clfs.log.ClfsIOException;
import io.clfs.log.DiskFullException;
import io.clfs.log.LogFullException;
import io.clfs.log.LogPolicy;
import io.clfs.log.Lsn;
import io.clfs.log.TailPushCallback;
import io.clfs.log.format.Layout;
import io.clfs.log.engine.Metadata.ContainerEntry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Containers as space: the switch to the next logical container, finding it a physical one (free,
 * reclaimed below every tail and open archive scan, newly created, or freed by asking clients to
 * push their tails), shrinking, the free-space figures, reservations' claims on them, and the
 * log-full message that names what pins the space. A file system too full for a new container is a
 * full log too ({@link DiskFullException}), not a failure: nothing written is touched.
 *
 * <p>Runs with {@link LogCore#lock} held; a switch, a container table write and a policy change own
 * the files ({@link FileOwnership}), and lend them out while a tail-push callback runs. The table
 * arithmetic is {@link ContainerTable}'s. It never frames a block.
 */
public final class SpaceManager {
    private final LogCore core;
    private final BlockWriter writer;
    private final GroupCommit commit;
    private final MetadataWriter metadata;
    private final Reservations reservations;
    private final ArchiveScanner scans;
    private volatile TailPushCallback tailPush;

    public SpaceManager(LogCore core, BlockWriter writer, GroupCommit commit, MetadataWriter metadata,
                        Reservations reservations, ArchiveScanner scans) {
        this.core = core;
        this.writer = writer;
        this.commit = commit;
        this.metadata = metadata;
        this.reservations = reservations;
        this.scans = scans;
    }

    public void setTailPushCallback(TailPushCallback callback) {
        this.tailPush = callback;
    }

    // ------------------------------------------------------------------ switching containers

    /** Moves the write position to the next logical container, assigning it a physical one first. */
    void switchContainer() {
        long from = Lsn.container(core.writePosition);
        core.ownership.acquire();
        try {
            core.checkUsable();
            if (Lsn.container(core.writePosition) == from) { // else another thread switched while this one waited
                moveTo(from + 1);
            }
        } finally {
            core.ownership.release();
        }
    }

    private void moveTo(long next) {
        try {
            writer.sealIfOpen();
            if (core.meta.physicalOf(next) < 0) {
                assignContainer(next); // a log-full error leaves the old container's room usable
            }
            writer.sealFiller();
            // The old container's blocks stay pending: the next flush forces them, before the new
            // container's, with the same fsync that makes the client's records durable.
            core.writePosition = Lsn.of(next, Layout.CONTAINER_HEADER_SIZE);
            pushTailsTowardsTarget();
        } catch (IOException e) {
            throw core.fail("switch to a new container", e);
        } catch (ClfsIOException e) {
            throw core.failStop(e);
        }
    }

    /** Finds a physical container for {@code logical}: free, reclaimed, created, or after tail pushing. */
    private void assignContainer(long logical) throws IOException {
        DiskFullException diskFull = null;
        boolean pushed = false;
        boolean freedStale = false;
        for (;;) {
            if (core.meta.physicalOf(logical) >= 0) {
                return; // assigned ahead by a metadata write while the tails were being pushed
            }
            metadata.refreshArchiveTails();
            Metadata m = core.meta;
            List<ContainerEntry> table = reclaimed(m);
            List<ContainerEntry> assigned = assigningFree(table, logical);
            if (assigned == null && table.size() < m.policy().maxContainers()) {
                try {
                    assigned = assigningFree(createContainers(m, table), logical);
                } catch (DiskFullException e) {
                    diskFull = e; // as at the maximum: pushing the tails may free a container
                }
            }
            if (assigned == null && !freedStale && ContainerTable.firstFree(table) >= 0) {
                // Only stale containers are free, and only as this writer reclaims them: their
                // records are needed until a metadata copy frees them, so that copy goes first,
                // and then a stale file may be created anew.
                freedStale = true;
                writeChecked(table);
                continue;
            }
            if (assigned != null) {
                writeChecked(assigned);
                return;
            }
            if (!pushed && tailPush != null) {
                pushed = true;
                pushTails(Lsn.of(m.oldestLogical() + 1, Layout.CONTAINER_HEADER_SIZE));
                continue;
            }
            throw diskFull != null ? diskFull : new LogFullException(describeFull(core.meta));
        }
    }

    /** Writes the container table {@code table}, shrunk by policy, moving the checkpoint when it frees the checkpoint's container. */
    private void writeChecked(List<ContainerEntry> table) throws IOException {
        List<ContainerEntry> kept = shrunk(table);
        boolean moveCheckpoint = freesCheckpoint(kept);
        if (moveCheckpoint) {
            // A checkpoint names a durable block boundary. The old container ends here, so its
            // filler goes out with the same force instead of costing the next flush a second one.
            writer.sealFiller();
            commit.writeAll();
        }
        writeTable(table, kept, moveCheckpoint);
    }

    /**
     * Writes the metadata, with everything written and the files owned. The next container is
     * assigned in the same write when one is free, so that the switch to it needs no metadata write
     * of its own; nothing is pending, so moving the checkpoint costs nothing extra.
     */
    void writeAssigningAhead(boolean checkpoint) throws IOException {
        long next = Lsn.container(core.writePosition) + 1;
        List<ContainerEntry> assigned = core.meta.physicalOf(next) < 0 ? assigningFree(reclaimed(core.meta), next)
                : null;
        if (assigned == null) {
            write(UnaryOperator.identity(), checkpoint);
        } else {
            List<ContainerEntry> kept = shrunk(assigned);
            writeTable(assigned, kept, checkpoint || freesCheckpoint(kept));
        }
    }

    /**
     * The table with a free container holding {@code logical}, or null when none is free. A stale
     * file (created before the newest takeover: a fenced owner may still hold it open and write
     * into it) is created anew first, so that such writes land in a file no name points to; only
     * once the metadata on disk lists it as free, as its old records are needed until then.
     */
    private List<ContainerEntry> assigningFree(List<ContainerEntry> table, long logical) throws IOException {
        int physical = -1;
        for (ContainerEntry c : table) { // the lowest id this writer may fill now
            boolean usable = c.free() && (!core.meta.stale(c) || freeOnDisk(c.physicalId()));
            if (usable && (physical < 0 || c.physicalId() < physical)) {
                physical = c.physicalId();
            }
        }
        if (physical < 0) {
            return null;
        }
        if (core.meta.stale(ContainerTable.entry(table, physical))) {
            core.files.recreate(core.meta, physical);
            table = ContainerTable.renewed(table, physical, core.epoch);
        }
        return ContainerTable.assign(table, physical, logical);
    }

    /** Whether the metadata as last written lists container {@code physical} as free. */
    private boolean freeOnDisk(int physical) {
        for (ContainerEntry c : core.meta.containers()) {
            if (c.physicalId() == physical) {
                return c.free();
            }
        }
        return false;
    }

    private List<ContainerEntry> shrunk(List<ContainerEntry> table) {
        LogPolicy p = core.meta.policy();
        return ContainerTable.shrunk(table, p.minContainers(), p.autoShrinkPercent());
    }

    private boolean freesCheckpoint(List<ContainerEntry> kept) {
        long logical = Lsn.container(core.meta.checkpoint().position());
        return core.meta.physicalOf(logical) >= 0 && ContainerTable.freedBy(kept, logical);
    }

    /** Writes the metadata with the table {@code kept}, then deletes the files auto-shrink dropped from {@code assigned}. */
    private void writeTable(List<ContainerEntry> assigned, List<ContainerEntry> kept, boolean checkpoint)
            throws IOException {
        Metadata before = core.meta;
        write(x -> x.withContainers(kept), checkpoint);
        for (ContainerEntry c : assigned) {
            if (!ContainerTable.containsPhysical(kept, c.physicalId())) {
                core.files.delete(before, c.physicalId());
            }
        }
    }

    private void write(UnaryOperator<Metadata> change, boolean checkpoint) {
        if (checkpoint) {
            metadata.writeCheckpoint(change);
        } else {
            metadata.write(change);
        }
    }

    /** The lowest LSN any stream or open archive scan still needs: space below it can be reclaimed. */
    private long reclaimPoint() {
        long point = core.writePosition;
        boolean archive = core.meta.archiveEnabled();
        for (StreamState s : core.streams.values()) {
            point = Lsn.min(point, s.lowerTail(archive));
        }
        return scans.belowPins(point);
    }

    private List<ContainerEntry> reclaimed(Metadata m) {
        return ContainerTable.reclaimed(m.containers(), Lsn.container(reclaimPoint()),
                Lsn.container(core.writePosition));
    }

    /**
     * Creates up to a growth step of new, durable container files and returns the table listing them.
     * On a full file system it creates none: the files this call made are not listed anywhere, so
     * they are deleted to give their space back.
     */
    private List<ContainerEntry> createContainers(Metadata m, List<ContainerEntry> table) throws IOException {
        List<ContainerEntry> out = new ArrayList<>(table);
        int add = Math.min(m.policy().growthStep(), m.policy().maxContainers() - table.size());
        try {
            for (int i = 0; i < add; i++) {
                out.add(new ContainerEntry(core.files.createUnused(m, out), 0, 0, core.epoch));
            }
        } catch (DiskFullException e) {
            for (ContainerEntry created : out.subList(table.size(), out.size())) {
                core.files.delete(m, created.physicalId());
            }
            throw e;
        }
        return out;
    }

    // ------------------------------------------------------------------ tail pushing

    /** Asks clients to move their tails when free space is under the policy's target. */
    private void pushTailsTowardsTarget() {
        Metadata m = core.meta;
        int target = m.policy().freeSpaceTargetPercent();
        if (target == 0 || tailPush == null) {
            return;
        }
        long total = (long) m.policy().maxContainers() * m.policy().usableContainerBytes();
        if (freeBytes() * 100 >= (long) target * total) {
            return;
        }
        long needed = (target * total / 100 - freeBytes()) / m.policy().usableContainerBytes() + 1;
        long logical = Math.min(m.oldestLogical() + needed, Lsn.container(core.writePosition));
        pushTails(Lsn.of(logical, Layout.CONTAINER_HEADER_SIZE));
    }

    /**
     * Calls the tail-push callback for each stream behind {@code target}. It runs with the lock held
     * but the files lent out, so that the callback may move tails of this log.
     */
    private void pushTails(long target) {
        TailPushCallback callback = tailPush;
        if (callback == null) {
            return;
        }
        if (Lsn.less(core.durableEnd, target)) {
            try {
                commit.writeAll(); // tails move only onto durable records
            } catch (IOException e) {
                throw core.fail("flush before asking for tails", e);
            }
        }
        long bounded = Lsn.min(target, core.durableEnd);
        core.ownership.lendWhile(() -> {
            for (StreamState s : List.copyOf(core.streams.values())) {
                if (Lsn.less(s.lowerTail(core.meta.archiveEnabled()), bounded)) {
                    callback.advanceTails(s.name, bounded);
                }
            }
        });
    }

    private String describeFull(Metadata m) {
        StringBuilder sb = new StringBuilder("log full: ").append(core.dir).append(": all ")
                .append(m.containers().size()).append(" containers (maximum ").append(m.policy().maxContainers())
                .append(") hold records still needed; the space is pinned by ");
        StreamState lowest = null;
        for (StreamState s : core.streams.values()) {
            if (lowest == null || Lsn.less(s.lowerTail(m.archiveEnabled()), lowest.lowerTail(m.archiveEnabled()))) {
                lowest = s;
            }
        }
        if (lowest != null) {
            boolean archive = m.archiveEnabled() && Lsn.less(lowest.archiveTail, lowest.base);
            sb.append(archive ? "the archive tail" : "the base LSN").append(" of stream '").append(lowest.name)
                    .append("' at ").append(Lsn.toString(archive ? lowest.archiveTail : lowest.base));
        }
        if (reservations.total() > 0) {
            sb.append(lowest != null ? " and " : "").append(reservations.total()).append(" reserved bytes");
        }
        int open = scans.openScans();
        if (open > 0) {
            sb.append(" and ").append(open).append(" open archive scan(s)");
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ free space and reservations

    /** Bytes left for appends: the active container's rest, spare containers; with the lock held. */
    public long freeBytes() {
        return Math.max(0, activeRoom()) + spareContainers(core.meta) * core.meta.policy().usableContainerBytes();
    }

    /** Bytes reserved and not yet used, over all streams; with the lock held. */
    public long reservedBytes() {
        return reservations.total();
    }

    private long activeRoom() {
        return core.meta.policy().containerSize() - Lsn.offset(core.writePosition) - writer.openBlockBytes();
    }

    private long spareContainers(Metadata m) {
        return ContainerTable.spare(m.containers(), Lsn.container(reclaimPoint()), Lsn.container(core.writePosition),
                m.policy().maxContainers());
    }

    /** Reserves space for records of these payload sizes in stream {@code s}. */
    public Reservations.Grant reserve(StreamState s, int... payloadSizes) {
        core.checkWritable();
        long bytes = Reservations.spaceFor(payloadSizes);
        long largest = 0;
        for (int size : payloadSizes) {
            largest = Math.max(largest, Reservations.recordCost(size));
        }
        if (Layout.blockLength(largest) > core.meta.policy().usableContainerBytes()) {
            throw new IllegalArgumentException("a reserved record of " + largest + " bytes does not fit a container");
        }
        core.lock.lock();
        try {
            core.checkUsable();
            return reservations.reserve(s, bytes, largest, activeRoom(), spareContainers(core.meta));
        } finally {
            core.lock.unlock();
        }
    }

    public void release(StreamState s, Reservations.Grant g) {
        core.lock.lock();
        try {
            reservations.release(s, g);
        } finally {
            core.lock.unlock();
        }
    }

    /**
     * Takes {@code cost} bytes for an append: from its grant, or, when there is none, only if the
     * space reservations were promised stays free. With the lock held.
     */
    void claim(StreamState s, Reservations.Grant grant, long cost) {
        if (grant != null) {
            reservations.consume(s, grant, cost);
        } else if (reservations.total() > 0
                && !reservations.leavesRoom(cost, activeRoom(), spareContainers(core.meta))) {
            throw new LogFullException("log full: " + core.dir + ": the append of " + cost + " bytes would take space"
                    + " reserved for " + reservations.total() + " bytes of records; " + describeFull(core.meta));
        }
    }

    // ------------------------------------------------------------------ policy

    /** Refuses a policy change the files cannot follow: sizes and names are fixed at creation. */
    public void checkPolicyChange(LogPolicy policy) {
        Metadata m = core.meta;
        LogPolicy current = m.policy();
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
        if (policy.maxContainers() < m.containers().size()) {
            throw new IllegalArgumentException("maxContainers " + policy.maxContainers() + " is below the "
                    + m.containers().size() + " containers the log has");
        }
    }

    /**
     * Takes the new policy, creating containers up to its minimum; inside a metadata update. On a full
     * file system it keeps the old policy and creates none ({@link DiskFullException}).
     */
    public void applyPolicy(LogPolicy policy) {
        Metadata m = core.meta.withPolicy(policy);
        try {
            List<ContainerEntry> table = m.containers();
            int missing = policy.minContainers() - table.size();
            if (missing > 0) {
                table = createContainers(m.withPolicy(policy.withGrowthStep(missing)), table);
            }
            core.meta = m.withContainers(table);
        } catch (IOException e) {
            throw core.fail("grow to the new minimum", e);
        }
    }
}

package io.clfs.log.engine;

import io.clfs.log.ClfsException;
import io.clfs.log.Lsn;
import io.clfs.log.engine.Metadata.ContainerEntry;
import io.clfs.log.format.Layout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The fence an unclean open leaves in the block chain (docs/format.md, "Fencing an older owner").
 * The scan found the end of the chain at Q in logical container Lq; an older owner may still write
 * there, at or past Q, and into the container it assigned ahead to Lq + 1. So the chain continues
 * at the start of Lq + 1 in a container file made for it: a new file under a physical id no table
 * lists ({@link ContainerFiles#createUnused}), or, at the maximum number of containers, a free
 * one's file deleted and created anew. No older owner has that file open, and one that opens it by
 * name checks first that it still owns the log ({@link OwnerCheck}). The container assigned ahead is
 * freed. The metadata records the cut: Lq's entry holds Q's offset, the header Q with the sequence
 * and epoch of the block before it, and this owner's epoch as the fence epoch, which makes every
 * older file stale (created anew before it is used again, see {@link SpaceManager}).
 *
 * <p>Runs in a writer's recovery, before the log is shared: no lock.
 */
public final class ChainFence {
    private final List<ContainerEntry> table;
    private final Metadata.Fencing fencing;
    private final long start;

    private ChainFence(List<ContainerEntry> table, Metadata.Fencing fencing, long start) {
        this.table = table;
        this.fencing = fencing;
        this.start = start;
    }

    /** Makes the file the chain continues in; nothing lists it until {@link #applyTo} is written. */
    static ChainFence prepare(LogCore core) throws IOException {
        Metadata m = core.meta;
        long end = core.writePosition;
        long fenced = Lsn.container(end);
        long next = fenced + 1;
        List<ContainerEntry> table = new ArrayList<>(m.containers().size() + 1);
        for (ContainerEntry c : m.containers()) {
            if (c.logicalId() == next) {
                table.add(c.holding(0)); // freed, and stale: the older owner may be writing into it
            } else if (c.logicalId() == fenced) {
                table.add(new ContainerEntry(c.physicalId(), fenced, Lsn.offset(end), c.fileEpoch()));
            } else {
                table.add(c);
            }
        }
        int free = ContainerTable.firstFree(table);
        if (table.size() >= m.policy().maxContainers() && free >= 0) {
            core.files.recreate(m, free);
            table.removeIf(c -> c.physicalId() == free);
            table.add(new ContainerEntry(free, next, 0, core.epoch));
        } else {
            // Below the maximum; or at it with none free, when the table holds one more until a
            // reclaim or auto-shrink frees one.
            table.add(new ContainerEntry(core.files.createUnused(m, table), next, 0, core.epoch));
        }
        table.sort(Comparator.comparingInt(ContainerEntry::physicalId));
        Metadata.Fencing fencing = new Metadata.Fencing(false, core.epoch,
                new Metadata.Checkpoint(end, core.sequence, core.lastBlockEpoch));
        return new ChainFence(table, fencing, Lsn.of(next, Layout.CONTAINER_HEADER_SIZE));
    }

    /** Where the chain goes on: the start of the new container. */
    long start() {
        return start;
    }

    /** The metadata with the fence and the new container (vouched end and epoch are the caller's). */
    Metadata applyTo(Metadata m) {
        return m.withContainers(table).withFencing(fencing);
    }

    /**
     * Where a reader whose chain stands at {@code position}, walked with {@code old} metadata, must
     * go on now that {@code m} is the newest: null when {@code m} records no fence {@code old} did
     * not, or none below {@code position}; the newest fence when the reader walked past it (it
     * followed a fenced writer's blocks, which it must not read further).
     */
    static Metadata.Checkpoint restartPoint(Metadata old, Metadata m, long position) {
        if (old == m || old == null) {
            return null;
        }
        for (ContainerEntry c : m.containers()) {
            long fence = Lsn.of(c.logicalId(), c.fenceOffset());
            if (c.fenceOffset() == 0 || old.fenceOffsetOf(c.logicalId()) == c.fenceOffset()
                    || !Lsn.less(fence, position)) {
                continue;
            }
            Metadata.Checkpoint newest = m.fencing().fence();
            if (newest.position() != fence) {
                throw new ClfsException("a reader walked past the fence at " + Lsn.toString(fence) + " of a takeover"
                        + " it learnt of only after a newer one: reopen the log to read on");
            }
            return newest;
        }
        return null;
    }

    /**
     * The lowest LSN of the place {@code position} names in the chain: the start of a container
     * that follows a fence is the same place as the fence (and, when nothing came after an earlier
     * fence either, as that one). What a log reports as its durable end, so that an unclean open
     * that wrote nothing leaves the end where it found it.
     */
    public static long earliest(Metadata m, long position) {
        for (int i = 0; i < m.containers().size() && Lsn.offset(position) == Layout.CONTAINER_HEADER_SIZE; i++) {
            long fence = m.fenceOffsetOf(Lsn.container(position) - 1);
            if (fence == 0) {
                break;
            }
            position = Lsn.of(Lsn.container(position) - 1, fence);
        }
        return position;
    }

    /**
     * The highest LSN of the place {@code position} names: a block boundary at the very end of a
     * container, or at or past a fence in it, is the start of the next container.
     */
    public static long latest(Metadata m, long position) {
        for (int i = 0; i < m.containers().size(); i++) {
            long fence = m.fenceOffsetOf(Lsn.container(position));
            long offset = Lsn.offset(position);
            if (offset < m.policy().containerSize() && (fence == 0 || offset < fence)) {
                break;
            }
            position = Lsn.of(Lsn.container(position) + 1, Layout.CONTAINER_HEADER_SIZE);
        }
        return position;
    }
}

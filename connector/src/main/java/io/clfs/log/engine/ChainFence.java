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
 * at the start of Lq + 1 in a container file made for it ({@link ContainerFiles#createUnused}):
 * no older owner has it open, and none lists its name. The container assigned ahead is dropped
 * and its file deleted. The metadata records the cut: Lq's entry holds Q's offset, the header Q
 * with the sequence and epoch of the block before it, and this owner's epoch as the fence epoch,
 * which makes every older file stale (created anew before it is used again).
 *
 * <p>Runs in a writer's recovery, before the log is shared: no lock.
 */
final class ChainFence {
    private final LogCore core;
    private final List<ContainerEntry> table;
    private final Metadata.Fencing fencing;
    private final long start;
    private final ContainerEntry dropped;

    private ChainFence(LogCore core, List<ContainerEntry> table, Metadata.Fencing fencing, long start,
                       ContainerEntry dropped) {
        this.core = core;
        this.table = table;
        this.fencing = fencing;
        this.start = start;
        this.dropped = dropped;
    }

    /** Creates the file the chain continues in; nothing is listed until {@link #applyTo} is written. */
    static ChainFence prepare(LogCore core) throws IOException {
        Metadata m = core.meta;
        long end = core.writePosition;
        long fenced = Lsn.container(end);
        long next = fenced + 1;
        ContainerEntry dropped = null;
        List<ContainerEntry> table = new ArrayList<>(m.containers().size() + 1);
        for (ContainerEntry c : m.containers()) {
            if (c.logicalId() == next) {
                dropped = c;
            } else if (c.logicalId() == fenced) {
                table.add(new ContainerEntry(c.physicalId(), fenced, Lsn.offset(end), c.fileEpoch()));
            } else {
                table.add(c);
            }
        }
        if (dropped == null && table.size() >= m.policy().maxContainers()) {
            // At the maximum: a free container gives its place; with none free the table holds one
            // more than the maximum until auto-shrink or a reclaim frees one.
            dropped = table.stream().filter(ContainerEntry::free).findFirst().orElse(null);
            table.remove(dropped);
        }
        int id = core.files.createUnused(m, m.containers());
        table.add(new ContainerEntry(id, next, 0, core.epoch));
        table.sort(Comparator.comparingInt(ContainerEntry::physicalId));
        Metadata.Fencing fencing = new Metadata.Fencing(false, core.epoch,
                new Metadata.Checkpoint(end, core.sequence, core.lastBlockEpoch));
        return new ChainFence(core, table, fencing, Lsn.of(next, Layout.CONTAINER_HEADER_SIZE), dropped);
    }

    /** Where the chain goes on: the start of the new container. */
    long start() {
        return start;
    }

    /** The metadata with the fence and the new container (vouched end and epoch are the caller's). */
    Metadata applyTo(Metadata m) {
        return m.withContainers(table).withFencing(fencing);
    }

    /** Once the fence is on disk: deletes the dropped container's file and moves the write position past the fence. */
    void finish(Metadata before) throws IOException {
        if (dropped != null) {
            core.files.delete(before, dropped.physicalId());
        }
        core.writePosition = start;
        core.durableEnd = start;
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
}

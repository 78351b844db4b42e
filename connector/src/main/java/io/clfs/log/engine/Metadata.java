package io.clfs.log.engine;

import io.clfs.log.LogKind;
import io.clfs.log.LogPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Everything needed to open a log, as stored in one metadata copy.
 *
 * @param generation     which copy is newer; copies alternate between the two slots
 * @param ownerEpoch     raised by every writer that opens the log; fences a stale owner
 * @param vouchedEnd     every block below this position is durable: a bad one there is corruption
 * @param checkpoint     where recovery starts scanning, with each stream's last LSNs as of there
 * @param containers     physical container ids with the logical id each holds (0 = free)
 * @param streams        per stream: tails, newest restart LSN, last LSNs as of the checkpoint
 * @param fencing        whether the last writer closed cleanly, and the newest fence an unclean open made
 */
public record Metadata(long generation, long logIdHi, long logIdLo, LogKind kind, boolean archiveEnabled,
                       long ownerEpoch, long vouchedEnd, LogPolicy policy, Checkpoint checkpoint,
                       List<ContainerEntry> containers, List<StreamEntry> streams, Fencing fencing) {

    public Metadata {
        containers = List.copyOf(containers);
        streams = List.copyOf(streams);
    }

    /** Metadata that records no fence and no clean close (as every version-1 copy reads). */
    public Metadata(long generation, long logIdHi, long logIdLo, LogKind kind, boolean archiveEnabled,
                    long ownerEpoch, long vouchedEnd, LogPolicy policy, Checkpoint checkpoint,
                    List<ContainerEntry> containers, List<StreamEntry> streams) {
        this(generation, logIdHi, logIdLo, kind, archiveEnabled, ownerEpoch, vouchedEnd, policy, checkpoint,
                containers, streams, Fencing.NONE);
    }

    /** A block boundary: the position of the next block and the sequence and epoch of the block before it. */
    public record Checkpoint(long position, long sequence, long epoch) {
    }

    /**
     * How the last writer left the log and where the newest takeover cut the chain.
     *
     * @param closedCleanly the last writer closed the log: no older owner can still be writing
     * @param fenceEpoch    owner epoch of the newest unclean open (0: none); files created before it are stale
     * @param fence         where that open cut the chain (the end of the older owner's chain, with the
     *                      sequence and epoch of the block before it); position 0 when there is none
     */
    public record Fencing(boolean closedCleanly, long fenceEpoch, Checkpoint fence) {
        public static final Fencing NONE = new Fencing(false, 0, new Checkpoint(0, 0, 0));

        public Fencing withClosedCleanly(boolean clean) {
            return new Fencing(clean, fenceEpoch, fence);
        }
    }

    /**
     * @param fenceOffset where a takeover cut the chain inside this container (0: nowhere): the chain
     *                    continues at the start of the next logical container, and blocks at or past
     *                    this offset belong to a fenced writer
     * @param fileEpoch   owner epoch of the writer that created the file; older than the fence epoch
     *                    means an older owner may hold it open, so it is created anew before reuse
     */
    public record ContainerEntry(int physicalId, long logicalId, long fenceOffset, long fileEpoch) {
        public ContainerEntry(int physicalId, long logicalId) {
            this(physicalId, logicalId, 0, 0);
        }

        public boolean free() {
            return logicalId == 0;
        }

        /** This container holding {@code logical}, with no fence (a new life of the file). */
        public ContainerEntry holding(long logical) {
            return new ContainerEntry(physicalId, logical, 0, fileEpoch);
        }
    }

    public record StreamEntry(int id, String name, long base, long archiveTail, long restartLsn, long lastLsn,
                              long lastDataLsn) {
    }

    public Metadata withGeneration(long g) {
        return new Metadata(g, logIdHi, logIdLo, kind, archiveEnabled, ownerEpoch, vouchedEnd, policy, checkpoint,
                containers, streams, fencing);
    }

    public Metadata withOwnerEpoch(long e) {
        return new Metadata(generation, logIdHi, logIdLo, kind, archiveEnabled, e, vouchedEnd, policy, checkpoint,
                containers, streams, fencing);
    }

    public Metadata withVouchedEnd(long v) {
        return new Metadata(generation, logIdHi, logIdLo, kind, archiveEnabled, ownerEpoch, v, policy, checkpoint,
                containers, streams, fencing);
    }

    public Metadata withPolicy(LogPolicy p) {
        return new Metadata(generation, logIdHi, logIdLo, kind, archiveEnabled, ownerEpoch, vouchedEnd, p, checkpoint,
                containers, streams, fencing);
    }

    public Metadata withCheckpoint(Checkpoint c) {
        return new Metadata(generation, logIdHi, logIdLo, kind, archiveEnabled, ownerEpoch, vouchedEnd, policy, c,
                containers, streams, fencing);
    }

    public Metadata withContainers(List<ContainerEntry> c) {
        return new Metadata(generation, logIdHi, logIdLo, kind, archiveEnabled, ownerEpoch, vouchedEnd, policy,
                checkpoint, c, streams, fencing);
    }

    public Metadata withStreams(List<StreamEntry> s) {
        return new Metadata(generation, logIdHi, logIdLo, kind, archiveEnabled, ownerEpoch, vouchedEnd, policy,
                checkpoint, containers, s, fencing);
    }

    public Metadata withFencing(Fencing f) {
        return new Metadata(generation, logIdHi, logIdLo, kind, archiveEnabled, ownerEpoch, vouchedEnd, policy,
                checkpoint, containers, streams, f);
    }

    public Metadata withStream(int id, UnaryOperator<StreamEntry> change) {
        List<StreamEntry> out = new ArrayList<>(streams);
        out.replaceAll(s -> s.id() == id ? change.apply(s) : s);
        return withStreams(out);
    }

    public StreamEntry stream(int id) {
        for (StreamEntry s : streams) {
            if (s.id() == id) {
                return s;
            }
        }
        return null;
    }

    public StreamEntry stream(String name) {
        for (StreamEntry s : streams) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** The physical container holding {@code logicalId}, or -1. */
    public int physicalOf(long logicalId) {
        for (ContainerEntry c : containers) {
            if (c.logicalId() == logicalId && logicalId != 0) {
                return c.physicalId();
            }
        }
        return -1;
    }


    /** The offset where a takeover cut the chain inside logical container {@code logicalId}, or 0. */
    public long fenceOffsetOf(long logicalId) {
        for (ContainerEntry c : containers) {
            if (c.logicalId() == logicalId && logicalId != 0) {
                return c.fenceOffset();
            }
        }
        return 0;
    }

    /** Whether a file created before the newest unclean open may still be held open by an older owner. */
    public boolean stale(ContainerEntry c) {
        return c.fileEpoch() < fencing.fenceEpoch();
    }
    public long oldestLogical() {
        long min = Long.MAX_VALUE;
        for (ContainerEntry c : containers) {
            if (!c.free()) {
                min = Math.min(min, c.logicalId());
            }
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }
}

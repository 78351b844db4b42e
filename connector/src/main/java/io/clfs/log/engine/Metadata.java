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
 */
public record Metadata(long generation, long logIdHi, long logIdLo, LogKind kind, boolean archiveEnabled,
                       long ownerEpoch, long vouchedEnd, LogPolicy policy, Checkpoint checkpoint,
                       List<ContainerEntry> containers, List<StreamEntry> streams) {

    public Metadata {
        containers = List.copyOf(containers);
        streams = List.copyOf(streams);
    }

    /** A block boundary: the position of the next block and the sequence and epoch of the block before it. */
    public record Checkpoint(long position, long sequence, long epoch) {
    }

    public record ContainerEntry(int physicalId, long logicalId) {
        public boolean free() {
            return logicalId == 0;
        }
    }

    public record StreamEntry(int id, String name, long base, long archiveTail, long restartLsn, long lastLsn,
                              long lastDataLsn) {
    }

    public Metadata withGeneration(long g) {
        return new Metadata(g, logIdHi, logIdLo, kind, archiveEnabled, ownerEpoch, vouchedEnd, policy, checkpoint,
                containers, streams);
    }

    public Metadata withOwnerEpoch(long e) {
        return new Metadata(generation, logIdHi, logIdLo, kind, archiveEnabled, e, vouchedEnd, policy, checkpoint,
                containers, streams);
    }

    public Metadata withVouchedEnd(long v) {
        return new Metadata(generation, logIdHi, logIdLo, kind, archiveEnabled, ownerEpoch, v, policy, checkpoint,
                containers, streams);
    }

    public Metadata withPolicy(LogPolicy p) {
        return new Metadata(generation, logIdHi, logIdLo, kind, archiveEnabled, ownerEpoch, vouchedEnd, p, checkpoint,
                containers, streams);
    }

    public Metadata withCheckpoint(Checkpoint c) {
        return new Metadata(generation, logIdHi, logIdLo, kind, archiveEnabled, ownerEpoch, vouchedEnd, policy, c,
                containers, streams);
    }

    public Metadata withContainers(List<ContainerEntry> c) {
        return new Metadata(generation, logIdHi, logIdLo, kind, archiveEnabled, ownerEpoch, vouchedEnd, policy,
                checkpoint, c, streams);
    }

    public Metadata withStreams(List<StreamEntry> s) {
        return new Metadata(generation, logIdHi, logIdLo, kind, archiveEnabled, ownerEpoch, vouchedEnd, policy,
                checkpoint, containers, s);
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

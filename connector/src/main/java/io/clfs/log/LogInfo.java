package io.clfs.log;

import java.nio.file.Path;
import java.util.List;

/**
 * A snapshot of a log's state for tools and metrics. LSN fields use {@link Lsn}.
 *
 * @param closedCleanly the last writer closed the log (false while one has it open)
 * @param fenceEpoch    owner epoch of the newest open that found the log not closed cleanly and
 *                      fenced its older owner; 0 when none did
 * @param fence         where that open cut the older owner's chain ({@link Lsn#INVALID} when none)
 */
public record LogInfo(Path dir, String logId, LogKind kind, boolean archiveEnabled, LogPolicy policy,
                      long ownerEpoch, long durableEnd, long freeBytes, long reservedBytes,
                      List<ContainerInfo> containers, List<StreamInfo> streams, boolean closedCleanly,
                      long fenceEpoch, long fence) {

    /**
     * ACTIVE: holds records (or is being filled); READY: assigned ahead to the next logical
     * container, still empty; FREE: unassigned.
     */
    public enum ContainerState { ACTIVE, READY, FREE }

    /**
     * @param fenceOffset where a takeover cut the chain inside this container (0: nowhere)
     * @param stale       its file predates the newest fence, so it is created anew before reuse
     */
    public record ContainerInfo(String file, int physicalId, long logicalId, ContainerState state, long fenceOffset,
                                boolean stale) {
    }

    public record StreamInfo(String name, long baseLsn, long archiveTail, long lastLsn, long restartLsn,
                             long reservedBytes) {
    }

    public StreamInfo stream(String name) {
        return streams.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }
}

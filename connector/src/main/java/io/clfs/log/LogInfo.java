package io.clfs.log;

import java.nio.file.Path;
import java.util.List;

/** A snapshot of a log's state for tools and metrics. LSN fields use {@link Lsn}. */
public record LogInfo(Path dir, String logId, LogKind kind, boolean archiveEnabled, LogPolicy policy,
                      long ownerEpoch, long durableEnd, long freeBytes, long reservedBytes,
                      List<ContainerInfo> containers, List<StreamInfo> streams) {

    /**
     * ACTIVE: holds records (or is being filled); READY: assigned ahead to the next logical
     * container, still empty; FREE: unassigned.
     */
    public enum ContainerState { ACTIVE, READY, FREE }

    public record ContainerInfo(String file, int physicalId, long logicalId, ContainerState state) {
    }

    public record StreamInfo(String name, long baseLsn, long archiveTail, long lastLsn, long restartLsn,
                             long reservedBytes) {
    }

    public StreamInfo stream(String name) {
        return streams.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }
}

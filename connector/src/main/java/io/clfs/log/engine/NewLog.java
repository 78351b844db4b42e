package io.clfs.log.engine;

import io.clfs.log.ClfsException;
import io.clfs.log.ClfsIOException;
import io.clfs.log.DiskFullException;
import io.clfs.log.LogKind;
import io.clfs.log.LogPolicy;
import io.clfs.log.Lsn;
import io.clfs.log.format.Layout;
import io.clfs.log.io.FileIO;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Lays down the files of a new log: the minimum number of containers (the first with a zero-filled
 * prefix, the spares a header only: {@link Preallocator#SPARE_LENGTH}), then both
 * metadata copies, each durable (and its directory entry synced) before the log is opened. The
 * metadata takes its name last, in one rename, so that a reader never finds a half-made log. Runs
 * before any other user of the directory, so it needs no lock. On a full file system it removes
 * what it wrote and throws {@link DiskFullException}: there is no log, and creating it may be tried
 * again.
 */
public final class NewLog {
    private NewLog() {
    }

    /** @param archive true for a non-ephemeral log, which has an archive tail besides the base LSN */
    public static void create(FileIO io, Path dir, LogKind kind, boolean archive, LogPolicy policy) {
        try {
            io.createDirectories(dir);
            if (io.exists(dir.resolve(MetadataStore.FILE))) {
                throw new ClfsException("a log already exists in " + dir);
            }
            Metadata m = initial(kind, archive, policy);
            try {
                layDown(io, dir, m);
            } catch (DiskFullException e) {
                throw removing(io, dir, m, e);
            } catch (IOException e) {
                if (!NoSpace.causes(e, dir, 2L * Layout.METADATA_SLOT_SIZE)) {
                    throw e;
                }
                throw removing(io, dir, m, new DiskFullException(dir, dir.resolve(MetadataStore.FILE), "create", e));
            }
        } catch (IOException e) {
            throw new ClfsIOException("cannot create log " + dir, e);
        }
    }

    private static Metadata initial(LogKind kind, boolean archive, LogPolicy policy) {
        UUID id = UUID.randomUUID();
        long start = Lsn.of(1, Layout.CONTAINER_HEADER_SIZE);
        List<Metadata.ContainerEntry> containers = new ArrayList<>();
        for (int p = 0; p < policy.minContainers(); p++) {
            containers.add(new Metadata.ContainerEntry(p, p == 0 ? 1 : 0));
        }
        List<Metadata.StreamEntry> streams = kind == LogKind.DEDICATED
                ? List.of(new Metadata.StreamEntry(0, Layout.DEDICATED_STREAM_NAME, start, start, Lsn.INVALID,
                Lsn.INVALID, Lsn.INVALID))
                : List.of();
        // Closed cleanly: no writer has had it, so its first open needs no fence.
        return new Metadata(0, id.getMostSignificantBits(), id.getLeastSignificantBits(), kind, archive, 0,
                start, policy, new Metadata.Checkpoint(start, 0, 0), containers, streams,
                Metadata.Fencing.NONE.withClosedCleanly(true));
    }

    private static void layDown(FileIO io, Path dir, Metadata m) throws IOException {
        try (ContainerFiles files = new ContainerFiles(io, dir, true)) {
            for (Metadata.ContainerEntry c : m.containers()) {
                io.delete(ContainerFiles.path(dir, m.policy(), c.physicalId())); // a leftover of a creation that crashed
                files.createUnlisted(m, c.physicalId(), c.logicalId() == 0 ? Preallocator.SPARE_LENGTH
                        : Preallocator.initialLength(m.policy().containerSize()));
            }
        }
        io.syncDirectory(dir); // the containers' names, before the metadata that lists them
        new MetadataStore(io, dir).create(m);
        io.syncDirectory(dir);
        if (dir.toAbsolutePath().getParent() != null) {
            io.syncDirectory(dir.toAbsolutePath().getParent());
        }
    }

    /** Deletes the files a failed creation wrote (the metadata first: without it there is no log); returns {@code e}. */
    private static DiskFullException removing(FileIO io, Path dir, Metadata m, DiskFullException e) {
        try {
            io.delete(dir.resolve(MetadataStore.FILE));
            io.delete(dir.resolve(MetadataStore.NEW_FILE));
            for (Metadata.ContainerEntry c : m.containers()) {
                io.delete(ContainerFiles.path(dir, m.policy(), c.physicalId()));
            }
            io.syncDirectory(dir);
        } catch (IOException cleanup) {
            e.addSuppressed(cleanup);
        }
        return e;
    }
}

package io.clfs.log.engine;

import io.clfs.log.ClfsIOException;
import io.clfs.log.Lsn;
import io.clfs.log.io.FileHandle;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the blocks a writer's recovery found past the vouched end really durable: writes each one
 * again, the bytes just read at the offset they were read from, then forces each container
 * written. Below the vouched end a force of the writer that wrote the blocks succeeded; above it
 * the blocks may be pages that a failed writeback left clean but not on disk, which a force alone
 * would not write (see docs/format.md, "Recovery").
 *
 * <p>Used by one recovery, before the log is shared; not thread-safe.
 */
final class ScannedBlockRewriter {
    private final ContainerFiles files;
    private final long vouchedEnd;
    private final List<FileHandle> written = new ArrayList<>();

    ScannedBlockRewriter(ContainerFiles files, long vouchedEnd) {
        this.files = files;
        this.vouchedEnd = vouchedEnd;
    }

    /** Writes the block {@code c} has loaded again, when it starts at or past the vouched end. */
    void rewrite(BlockReader c) {
        long at = c.position();
        if (Lsn.less(at, vouchedEnd)) {
            return;
        }
        Metadata m = c.metadata();
        int physical = m.physicalOf(Lsn.container(at));
        FileHandle h = files.handle(m, physical);
        try {
            h.write(c.buffer().duplicate().position(0).limit(c.blockLength()), Lsn.offset(at));
        } catch (IOException e) {
            throw new ClfsIOException("cannot write block at LSN " + Lsn.toString(at) + " again to "
                    + files.path(m, physical), e);
        }
        if (!written.contains(h)) {
            written.add(h);
        }
    }

    /** Forces every container written again. */
    void force() {
        for (FileHandle h : written) {
            try {
                h.force();
            } catch (IOException e) {
                throw new ClfsIOException("cannot force container " + h.path(), e);
            }
        }
    }
}

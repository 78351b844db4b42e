package io.clfs.log.engine;

import io.clfs.log.DiskFullException;
import io.clfs.log.Lsn;
import io.clfs.log.format.Layout;
import io.clfs.log.io.FileHandle;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Zero-fills the active container ahead of the blocks the log opens in it, one chunk at a time. A
 * new container is only a short zero-filled prefix (a new log's spares only a header), so that an
 * empty log costs little disk; before
 * a block is opened past the filled length, the file is extended with zeros to the next chunk
 * boundary. The file size thus changes once per chunk, and a flush's {@code force} never finds a
 * size change to make durable (what preallocating the whole container bought). A read past the
 * file's end finds no block: the end of the chain, as a zeroed block would be (docs/format.md,
 * "Writing").
 *
 * <p>It runs in the append path, before the record goes into the block: a file system that is full
 * refuses the append with a {@link DiskFullException} (a full log: nothing written is touched, the
 * append may be retried), never a flush, which would have to stop the log. Every method runs with
 * {@link LogCore#lock} held, which guards {@link #filledThrough}; the filled length of each open
 * container is kept by {@link ContainerFiles}. The flush leader writes only below that length, so
 * its writes and these never overlap.
 */
final class Preallocator {
    /** The file grows by this much at a time. */
    static final int CHUNK = 1 << 20;
    /** What a new container file holds: its header and zeros to here. */
    static final int INITIAL_LENGTH = 256 << 10;
    /**
     * What a new log's spare container (no logical container yet) holds: its header only. The log
     * fills it chunk by chunk once it writes there, so zeros written at creation would only cost
     * the creation a write and a larger {@code force}.
     */
    static final int SPARE_LENGTH = Layout.CONTAINER_HEADER_SIZE;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(CHUNK).asReadOnlyBuffer();

    private final LogCore core;
    /** Where the zero-filled part of the container last extended ends, as an LSN. */
    private long filledThrough = Lsn.NULL;

    Preallocator(LogCore core) {
        this.core = core;
    }

    /** The length a new container file of {@code containerSize} bytes is created with. */
    static long initialLength(long containerSize) {
        return Math.min(containerSize, INITIAL_LENGTH);
    }

    /** {@code n} (at most {@link #CHUNK}) zero bytes to write, in a buffer shared read-only. */
    static ByteBuffer zeros(long n) {
        return ZEROS.duplicate().limit((int) n);
    }

    /**
     * Makes the container of {@code end} (an LSN in a container in use; its offset may be the
     * container size) zero-filled at least to there, extending its file to the next chunk boundary
     * when it is shorter.
     */
    void fillThrough(long end) {
        if (!Lsn.less(filledThrough, end)) {
            return;
        }
        Metadata m = core.meta;
        long logical = Lsn.container(end);
        int physical = m.physicalOf(logical);
        ContainerFiles files = core.files;
        try {
            FileHandle h = files.handleForWriting(m, physical); // a write: the owner check of a container opened by name
            long filled = files.filledLength(h);
            if (Lsn.offset(end) > filled) {
                long target = Math.min(m.policy().containerSize(), Layout.alignUp(Lsn.offset(end), CHUNK));
                for (long at = filled; at < target; at += CHUNK) {
                    h.write(zeros(Math.min(CHUNK, target - at)), at);
                }
                files.setFilledLength(h, target);
                filled = target;
            }
            filledThrough = Lsn.of(logical, filled);
        } catch (IOException e) {
            if (NoSpace.causes(e, core.dir, CHUNK)) {
                throw new DiskFullException(core.dir, files.path(m, physical), "zero-fill ahead in container", e);
            }
            throw core.fail("zero-fill ahead in container " + files.path(m, physical), e);
        }
    }
}

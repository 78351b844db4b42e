package io.clfs.log.engine;

import io.clfs.log.format.Layout;
import io.clfs.log.io.FileHandle;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Zero-fills a container ahead of the blocks written into it, one chunk at a time. A new container
 * is only a short zero-filled prefix, so that an empty log costs little disk; a flush that would
 * write past the filled length first extends the file to the next chunk boundary. The file size
 * thus changes once per chunk, and the {@code force} of every other flush finds no size change to
 * make durable (what preallocating the whole container bought). A read past the file's end finds
 * no block: the end of the chain, as a zeroed block would be (docs/format.md, "Writing").
 *
 * <p>Stateless: the filled length of each open container is kept by {@link ContainerFiles}. Runs in
 * the flush leader, which owns the files ({@link FileOwnership}), without {@link LogCore#lock}.
 */
final class Preallocator {
    /** The file grows by this much at a time. */
    static final int CHUNK = 1 << 20;
    /** What a new container file holds: its header and zeros to here. */
    static final int INITIAL_LENGTH = 256 << 10;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(CHUNK).asReadOnlyBuffer();

    private Preallocator() {
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
     * Makes the container {@code h} at least {@code end} bytes long before blocks ending there are
     * written: when they would pass its filled length, zeros from {@code end} to the next chunk
     * boundary (the blocks cover the rest, as they start at or below the filled length).
     */
    static void fillAhead(ContainerFiles files, FileHandle h, long end, long containerSize) throws IOException {
        long filled = files.filledLength(h);
        if (end <= filled) {
            return;
        }
        long target = Math.min(containerSize, Layout.alignUp(end, CHUNK));
        for (long at = end; at < target; at += CHUNK) {
            h.write(zeros(Math.min(CHUNK, target - at)), at);
        }
        files.setFilledLength(h, Math.max(end, target));
    }
}

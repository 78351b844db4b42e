package io.clfs.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The baseline: the records' bytes, back to back with no framing, gathered in one direct buffer and
 * written with one positional {@code write} per flush, then {@code force(false)}. It writes through
 * a ring of {@link #FILE_SIZE} bytes, like the engine's recycled containers.
 *
 * <p>Preallocated: the file is zero-filled and forced first, as the engine's containers are, so a
 * flush changes no file size or block map. Fresh: the file starts empty and every write extends it
 * (truncated back to empty when the ring wraps), so each {@code force} also commits new blocks and
 * the file size: what a naive append-only log file pays.
 */
final class RawFileSink implements RecordSink {
    static final long FILE_SIZE = 64L << 20;
    private static final int FILL_CHUNK = 1 << 20;

    private final FileChannel channel;
    private final boolean preallocated;
    private final ByteBuffer pending;
    private long position;

    RawFileSink(Path file, boolean preallocated, int capacity) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        this.preallocated = preallocated;
        this.pending = ByteBuffer.allocateDirect(capacity);
        if (preallocated) {
            ByteBuffer zeros = ByteBuffer.allocateDirect(FILL_CHUNK);
            for (long at = 0; at < FILE_SIZE; at += FILL_CHUNK) {
                zeros.clear();
                while (zeros.hasRemaining()) {
                    channel.write(zeros, at + zeros.position());
                }
            }
            channel.force(true);
        }
    }

    @Override
    public void append(ByteBuffer record) {
        if (pending.remaining() < record.remaining()) {
            throw new IllegalStateException("flush before appending more than " + pending.capacity() + " bytes");
        }
        pending.put(record.duplicate());
    }

    @Override
    public void flush() throws IOException {
        pending.flip();
        if (position + pending.remaining() > FILE_SIZE) {
            position = 0;
            if (!preallocated) {
                channel.truncate(0);
            }
        }
        while (pending.hasRemaining()) {
            position += channel.write(pending, position);
        }
        channel.force(false);
        pending.clear();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

package io.clfs.log.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** An open file: positional reads and writes, and {@code force} to make written bytes durable. */
public interface FileHandle extends Closeable {
    Path path();

    /**
     * The identity of the open file, taken when it was opened. When {@link FileIO#fileKey(Path)} of
     * {@link #path()} differs, the file was deleted or replaced under its name. Null where the file
     * system has no such identity.
     */
    Object fileKey();

    /** Reads until {@code dst} is full or end of file; returns the number of bytes read. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Writes all remaining bytes of {@code src} at {@code position}. Not durable until {@link #force()}. */
    void write(ByteBuffer src, long position) throws IOException;

    /**
     * Writes the remaining bytes of {@code srcs[offset, offset + length)} back to back from
     * {@code position}, in as few calls as the file allows. Not durable until {@link #force()}.
     */
    default void write(ByteBuffer[] srcs, int offset, int length, long position) throws IOException {
        long p = position;
        for (int i = offset; i < offset + length; i++) {
            int n = srcs[i].remaining();
            write(srcs[i], p);
            p += n;
        }
    }

    /** Returns only when every byte written so far is on stable storage. */
    void force() throws IOException;

    long size() throws IOException;

    @Override
    void close() throws IOException;
}

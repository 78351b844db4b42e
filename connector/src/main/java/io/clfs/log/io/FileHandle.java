package io.clfs.log.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** An open file: positional reads and writes, and {@code force} to make written bytes durable. */
public interface FileHandle extends Closeable {
    Path path();

    /** Reads until {@code dst} is full or end of file; returns the number of bytes read. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Writes all remaining bytes of {@code src} at {@code position}. Not durable until {@link #force()}. */
    void write(ByteBuffer src, long position) throws IOException;

    /** Returns only when every byte written so far is on stable storage. */
    void force() throws IOException;

    long size() throws IOException;

    @Override
    void close() throws IOException;
}

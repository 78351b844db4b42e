package io.clfs.tool;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Standard input as a pipe delivers it: in chunks. Before it hands out each chunk after the first,
 * it runs {@code onChunk}, which sees what the tool did while waiting for more input.
 * {@code available()} counts the current chunk only, like an empty pipe, unless {@code eager}:
 * then it counts every chunk still to come, like a file.
 */
final class ChunkedInput extends InputStream {
    private final List<byte[]> chunks;
    private final boolean eager;
    private final Runnable onChunk;
    private int chunk;
    private int pos;

    ChunkedInput(List<String> chunks, boolean eager, Runnable onChunk) {
        this.chunks = chunks.stream().map(c -> c.getBytes(StandardCharsets.UTF_8)).toList();
        this.eager = eager;
        this.onChunk = onChunk;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        while (chunk < chunks.size() && pos == chunks.get(chunk).length) {
            chunk++;
            pos = 0;
            if (chunk < chunks.size()) {
                onChunk.run();
            }
        }
        if (chunk == chunks.size()) {
            return -1;
        }
        int n = Math.min(len, chunks.get(chunk).length - pos);
        System.arraycopy(chunks.get(chunk), pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        int n = chunk < chunks.size() ? chunks.get(chunk).length - pos : 0;
        if (eager) {
            for (int i = chunk + 1; i < chunks.size(); i++) {
                n += chunks.get(i).length;
            }
        }
        return n;
    }
}

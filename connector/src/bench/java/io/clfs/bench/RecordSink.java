package io.clfs.bench;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What the durable-append benchmark drives: the engine or a raw file. One driver loop for every
 * target keeps the comparison about the targets, not about the loops.
 */
interface RecordSink extends AutoCloseable {
    /** Takes one record; it need not be durable yet. The buffer's position is left as it was. */
    void append(ByteBuffer record) throws IOException;

    /** Makes every record taken so far durable. */
    void flush() throws IOException;

    @Override
    void close() throws IOException;
}

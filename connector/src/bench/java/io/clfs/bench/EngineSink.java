package io.clfs.bench;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogKind;
import io.clfs.log.LogPolicy;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/** The engine as a {@link RecordSink}: appends to a dedicated, non-ephemeral log and flushes through the last LSN. */
final class EngineSink implements RecordSink {
    /**
     * Eight 8 MiB containers (64 MiB, the size of the raw baseline's file), all created zero-filled
     * up front (min = max) so that no container creation falls inside a measurement.
     */
    static final LogPolicy POLICY = LogPolicy.defaults().withContainers(8, 8);

    private final ClfsLog log;
    private final LogStream stream;
    private final TailMover tails;
    private long last = Lsn.INVALID;

    EngineSink(Path dir) {
        this.log = ClfsLog.create(dir, LogKind.DEDICATED, true, POLICY);
        this.stream = log.stream();
        this.tails = new TailMover(stream);
    }

    @Override
    public void append(ByteBuffer record) {
        last = stream.append(record);
    }

    @Override
    public void flush() {
        if (last != Lsn.INVALID) {
            stream.flush(last);
            tails.flushed(last);
        }
    }

    @Override
    public void close() {
        log.close();
    }
}

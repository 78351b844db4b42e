package io.clfs.log;

import io.clfs.log.engine.MetadataStore;
import io.clfs.log.io.DelegatingFileIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One I/O error (the disk lives on) stops the writer: nothing later is acknowledged until reopened. */
class FailStopTest {
    private static final LogPolicy SMALL = LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096);

    @TempDir
    Path dir;

    /** The real file system, except that the next write to a file whose name ends in {@code armed} fails once. */
    static final class OneFailure extends DelegatingFileIO {
        volatile String armed;

        @Override
        protected void beforeWrite(Path file) throws IOException {
            String a = armed;
            if (a != null && file.getFileName().toString().endsWith(a)) {
                armed = null;
                throw new IOException("injected write error on " + file);
            }
        }
    }

    @Test
    void aFailedMetadataWriteStopsTheWriter() {
        OneFailure io = new OneFailure();
        long acknowledged;
        try (ClfsLog log = ClfsLog.create(io, dir, LogKind.DEDICATED, true, SMALL)) {
            LogStream s = log.stream();
            acknowledged = s.appendForced(ByteBuffer.wrap(new byte[]{1}));
            io.armed = MetadataStore.FILE;
            assertThatThrownBy(() -> s.advanceBase(acknowledged)).isInstanceOf(ClfsIOException.class)
                    .hasMessageContaining("injected write error");
            assertThat(log.failed()).isTrue();
            assertThatThrownBy(() -> s.appendForced(ByteBuffer.wrap(new byte[]{2})))
                    .isInstanceOf(ClfsIOException.class).hasMessageContaining("must be reopened");
        }
        try (ClfsLog log = ClfsLog.open(dir)) {
            assertThat(log.stream().read(acknowledged).bytes()).containsExactly(1);
        }
    }

    @Test
    void aFailedDataWriteStopsTheWriter() {
        OneFailure io = new OneFailure();
        try (ClfsLog log = ClfsLog.create(io, dir, LogKind.DEDICATED, true, SMALL)) {
            LogStream s = log.stream();
            long first = s.appendForced(ByteBuffer.wrap(new byte[]{1}));
            io.armed = ".clfs";
            assertThatThrownBy(() -> s.appendForced(ByteBuffer.wrap(new byte[]{2})))
                    .isInstanceOf(ClfsIOException.class);
            assertThatThrownBy(() -> s.appendForced(ByteBuffer.wrap(new byte[]{3})))
                    .isInstanceOf(ClfsIOException.class).hasMessageContaining("must be reopened");
            assertThat(first).isNotZero();
        }
    }
}

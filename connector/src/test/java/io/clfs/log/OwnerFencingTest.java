package io.clfs.log;

import io.clfs.log.io.DelegatingFileIO;
import io.clfs.log.io.FileIO;
import io.clfs.log.io.LockHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two writers on one log whose owner lock does not exclude (a lock that is not reliable across
 * hosts): the newer one fences the older on the data path, and sees everything the older acknowledged.
 */
class OwnerFencingTest {
    private static final LogPolicy SMALL = LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096);

    @TempDir
    Path dir;

    /** The disk, with an owner lock that every writer gets. */
    static final class NoOwnerLock extends DelegatingFileIO {
        NoOwnerLock(FileIO disk) {
            super(disk);
        }

        @Override
        public LockHandle lock(Path lockFile, boolean wait) throws IOException {
            return lockFile.getFileName().toString().equals("clfs.lock") ? () -> { } : super.lock(lockFile, wait);
        }
    }

    private static ByteBuffer record(int i) {
        return ByteBuffer.wrap(new byte[]{(byte) i, (byte) (i >> 8)});
    }

    @Test
    void aFencedWritersFlushFailsAndTheNewOwnerSeesEverythingItAcknowledged() {
        FileIO io = new NoOwnerLock(FileIO.real());
        ClfsLog.create(io, dir, LogKind.DEDICATED, false, SMALL).close();
        List<Long> acknowledged = new ArrayList<>();
        ClfsLog old = ClfsLog.open(io, dir);
        for (int i = 0; i < 20; i++) {
            acknowledged.add(old.stream().appendForced(record(i)));
        }
        long unacknowledged = old.stream().append(record(99).array());
        try (ClfsLog newer = ClfsLog.open(io, dir)) {
            for (int i = 0; i < acknowledged.size(); i++) {
                assertThat(newer.stream().read(acknowledged.get(i)).bytes()).isEqualTo(record(i).array());
            }
            assertThatThrownBy(() -> old.stream().flush(unacknowledged)).isInstanceOf(OwnerFencedException.class)
                    .hasMessageContaining("newer writer");
            assertThat(old.failed()).isTrue();
            assertThatThrownBy(() -> old.stream().appendForced(record(100))).isInstanceOf(ClfsException.class)
                    .hasMessageContaining("must be reopened");
            long mine = newer.stream().appendForced(record(200));
            assertThat(newer.stream().read(mine).bytes()).isEqualTo(record(200).array());
        } finally {
            old.close();
        }
    }

    @Test
    void aWriterThatIsNotFencedFlushesAsBefore() {
        FileIO io = new NoOwnerLock(FileIO.real());
        ClfsLog.create(io, dir, LogKind.DEDICATED, false, SMALL).close();
        try (ClfsLog log = ClfsLog.open(io, dir)) {
            long lsn = log.stream().appendForced(record(1));
            assertThat(log.stream().durableEnd()).isGreaterThan(lsn);
            assertThat(log.failed()).isFalse();
        }
    }
}

package io.clfs.log.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RealFileIOTest {
    @TempDir
    Path dir;

    /** More buffers than one {@code writev} takes (IOV_MAX is 1024 on Linux), of uneven sizes, after an offset. */
    @Test
    void aGatheringWriteLandsEveryBufferBackToBackAtItsPosition() throws Exception {
        Random random = new Random(5);
        ByteBuffer[] srcs = new ByteBuffer[1500];
        int total = 0;
        for (int i = 0; i < srcs.length; i++) {
            byte[] b = new byte[1 + random.nextInt(700)];
            random.nextBytes(b);
            srcs[i] = ByteBuffer.allocateDirect(b.length).put(b).flip();
            total += b.length;
        }
        byte[] expected = new byte[total];
        int at = 0;
        for (int i = 3; i < srcs.length; i++) {
            srcs[i].duplicate().get(expected, at, srcs[i].remaining());
            at += srcs[i].remaining();
        }
        Path file = dir.resolve("f");
        try (FileHandle h = FileIO.real().open(file, FileIO.Mode.CREATE_NEW)) {
            h.write(srcs, 3, srcs.length - 3, 4096);
            h.force();
            assertThat(srcs[srcs.length - 1].hasRemaining()).isFalse();
        }
        byte[] onDisk = Files.readAllBytes(file);
        assertThat(onDisk).hasSize(4096 + at);
        byte[] written = new byte[at];
        System.arraycopy(onDisk, 4096, written, 0, at);
        byte[] want = new byte[at];
        System.arraycopy(expected, 0, want, 0, at);
        assertThat(written).isEqualTo(want);
    }

    /** A lock file taken per hold (as clfs.meta.lock is) excludes other holders in this JVM while held, and only then. */
    @Test
    void aLockFileIsExclusiveWhileHeldAndReusable() throws Exception {
        Path lockFile = dir.resolve("l.lock");
        for (int round = 0; round < 3; round++) {
            try (LockHandle held = FileIO.real().lock(lockFile, true)) {
                assertThat(FileIO.real().lock(lockFile, false)).as("round %d, while held", round).isNull();
            }
            LockHandle other = FileIO.real().lock(lockFile, false);
            assertThat(other).as("round %d, after release", round).isNotNull();
            other.close();
        }
        assertThat(lockFile).exists();
    }
}

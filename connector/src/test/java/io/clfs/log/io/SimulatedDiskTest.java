package io.clfs.log.io;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The crash tests are only as good as this disk model: these pin down what it keeps and loses. */
class SimulatedDiskTest {
    private static final Path DIR = Path.of("/sim/d");
    private static final Path FILE = DIR.resolve("f");

    private static SimulatedDisk diskWithSyncedFile() throws IOException {
        SimulatedDisk disk = new SimulatedDisk();
        disk.createDirectories(DIR);
        disk.open(FILE, FileIO.Mode.CREATE_NEW).close();
        disk.syncDirectory(DIR);
        return disk;
    }

    private static ByteBuffer filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return ByteBuffer.wrap(b);
    }

    @Test
    void writesAreVisibleAtOnceButDurableOnlyAfterForce() throws IOException {
        SimulatedDisk disk = diskWithSyncedFile();
        try (FileHandle h = disk.open(FILE, FileIO.Mode.READ_WRITE)) {
            h.write(filled(1000, 7), 0);
            ByteBuffer back = ByteBuffer.allocate(1000);
            assertThat(h.read(back, 0)).isEqualTo(1000);
            assertThat(back.array()).containsOnly((byte) 7);
            assertThat(disk.crash(SimulatedDisk.Loss.DROP_ALL, new Random(1)).file(FILE)).isEmpty();
            assertThat(disk.crash(SimulatedDisk.Loss.KEEP_ALL, new Random(1)).file(FILE)).hasSize(1000);
            h.force();
            assertThat(disk.crash(SimulatedDisk.Loss.DROP_ALL, new Random(1)).file(FILE)).hasSize(1000);
        }
    }

    @Test
    void tornWritesKeepWholeSectorsOnlyAndSizeFollowsWhatSurvived() throws IOException {
        SimulatedDisk disk = diskWithSyncedFile();
        try (FileHandle h = disk.open(FILE, FileIO.Mode.READ_WRITE)) {
            h.write(filled(2048, 1), 0);
            h.force();
            h.write(filled(4096, 2), 256); // pieces: [256,512), then 7 sectors, then [4096,4352)
        }
        boolean sawMixed = false;
        for (int seed = 0; seed < 200; seed++) {
            byte[] after = disk.crash(SimulatedDisk.Loss.TORN, new Random(seed)).file(FILE);
            assertThat(after.length).isIn(2048, 2560, 3072, 3584, 4096, 4352);
            int[] pieceStarts = {0, 256, 512, 1024, 1536, 2048, 2560, 3072, 3584, 4096};
            for (int i = 0; i + 1 < pieceStarts.length && pieceStarts[i] < after.length; i++) {
                byte[] piece = Arrays.copyOfRange(after, pieceStarts[i], Math.min(after.length, pieceStarts[i + 1]));
                assertThat(piece).as("piece at %d, seed %d", pieceStarts[i], seed)
                        .satisfiesAnyOf(p -> assertThat(p).containsOnly((byte) 0),
                                p -> assertThat(p).containsOnly((byte) 1),
                                p -> assertThat(p).containsOnly((byte) 2));
            }
            assertThat(Arrays.copyOfRange(after, 0, 256)).containsOnly((byte) 1);
            sawMixed |= after[300] == 1 && after[600] == 2 || after[300] == 2 && after[600] == 1;
        }
        assertThat(sawMixed).as("some crash tears the write").isTrue();
    }

    @Test
    void creationsAndDeletionsNeedADirectorySync() throws IOException {
        SimulatedDisk disk = diskWithSyncedFile();
        Path other = DIR.resolve("g");
        disk.open(other, FileIO.Mode.CREATE_NEW).close();
        disk.delete(FILE);
        assertThat(disk.exists(FILE)).isFalse();
        SimulatedDisk.Image before = disk.crash(SimulatedDisk.Loss.KEEP_ALL, new Random(1));
        assertThat(before.files()).containsOnlyKeys(FILE);
        disk.syncDirectory(DIR);
        SimulatedDisk.Image after = disk.crash(SimulatedDisk.Loss.KEEP_ALL, new Random(1));
        assertThat(after.files()).containsOnlyKeys(other);
        SimulatedDisk rebooted = new SimulatedDisk(after);
        assertThat(rebooted.exists(other)).isTrue();
        assertThat(rebooted.list(DIR)).containsExactly(other);
    }

    @Test
    void crashPointFreezesTheDisk() throws IOException {
        SimulatedDisk disk = diskWithSyncedFile();
        long start = disk.ioCalls();
        disk.crashAfter(2);
        FileHandle h = disk.open(FILE, FileIO.Mode.READ_WRITE);
        h.write(filled(512, 3), 0);
        assertThatThrownBy(h::force).isInstanceOf(IOException.class).hasMessage(SimulatedDisk.POWER_LOSS);
        assertThatThrownBy(() -> h.write(filled(512, 4), 0)).hasMessage(SimulatedDisk.POWER_LOSS);
        assertThatThrownBy(() -> disk.open(FILE, FileIO.Mode.READ)).hasMessage(SimulatedDisk.POWER_LOSS);
        assertThat(disk.frozen()).isTrue();
        assertThat(disk.ioCalls() - start).as("calls after the freeze are not counted").isEqualTo(3);
        assertThat(disk.crash(SimulatedDisk.Loss.KEEP_ALL, new Random(1)).file(FILE)).containsOnly((byte) 3);
        assertThat(disk.crash(SimulatedDisk.Loss.DROP_ALL, new Random(1)).file(FILE)).isEmpty();
    }

    @Test
    void secondLockHolderIsRefused() throws IOException {
        SimulatedDisk disk = diskWithSyncedFile();
        Path lockFile = DIR.resolve("lock");
        LockHandle first = disk.lock(lockFile, false);
        assertThat(first).isNotNull();
        assertThat(disk.lock(lockFile, false)).isNull();
        first.close();
        LockHandle again = disk.lock(lockFile, false);
        assertThat(again).isNotNull();
        again.close();
    }
}

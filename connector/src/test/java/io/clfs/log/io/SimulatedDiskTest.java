package io.clfs.log.io;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
        long[] pieceStarts = {0, 256, 512, 1024, 1536, 2048, 2560, 3072, 3584, 4096, 4352};
        for (int seed = 0; seed < 200; seed++) {
            byte[] after = disk.crash(SimulatedDisk.Loss.TORN, new Random(seed)).file(FILE);
            assertThat(after.length).isIn(2048, 2560, 3072, 3584, 4096, 4352);
            assertThat(Arrays.copyOfRange(after, 0, 256)).containsOnly((byte) 1);
            // Each sector piece of the pending write is all new, or all what was there before.
            for (int i = 1; i + 1 < pieceStarts.length && pieceStarts[i] < after.length; i++) {
                int from = (int) pieceStarts[i];
                int to = (int) Math.min(after.length, pieceStarts[i + 1]);
                byte before = from < 2048 ? (byte) 1 : 0;
                byte first = after[from];
                assertThat(first == 2 || first == before).as("piece at %d, seed %d", from, seed).isTrue();
                for (int at = from; at < to; at++) {
                    if (after[at] != first) {
                        throw new AssertionError("piece at " + from + " torn inside a sector at " + at + ", seed " + seed);
                    }
                }
            }
            sawMixed |= after[300] == 1 && after[600] == 2 || after[300] == 2 && after[600] == 1;
        }
        assertThat(sawMixed).as("some crash tears the write").isTrue();
    }

    @Test
    void aWaitingLockHolderGetsTheLockWhenItIsReleased() throws Exception {
        SimulatedDisk disk = diskWithSyncedFile();
        Path lockFile = DIR.resolve("lock");
        LockHandle first = disk.lock(lockFile, false);
        CompletableFuture<LockHandle> second = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                second.complete(disk.lock(lockFile, true));
            } catch (IOException | RuntimeException e) {
                second.completeExceptionally(e);
            }
        });
        waiter.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (waiter.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(waiter.getState()).as("second holder waits").isEqualTo(Thread.State.WAITING);
        assertThat(second).isNotDone();
        first.close();
        LockHandle got = second.get(30, TimeUnit.SECONDS);
        assertThat(got).isNotNull();
        assertThat(disk.lock(lockFile, false)).as("now held by the second").isNull();
        got.close();
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
    void aFailedForceLeavesItsWritesReadableButNeverDurable() throws IOException {
        SimulatedDisk disk = diskWithSyncedFile();
        try (FileHandle h = disk.open(FILE, FileIO.Mode.READ_WRITE)) {
            h.write(filled(512, 1), 0);
            h.force();
            h.write(filled(512, 2), 512);
            disk.failForce(0);
            assertThatThrownBy(h::force).isInstanceOf(IOException.class)
                    .hasMessageStartingWith(SimulatedDisk.WRITEBACK_ERROR);
            assertThat(disk.frozen()).as("the disk lives on").isFalse();
            ByteBuffer back = ByteBuffer.allocate(1024);
            assertThat(h.read(back, 0)).as("the failed write is still readable").isEqualTo(1024);
            assertThat(back.array()).containsOnly((byte) 1, (byte) 2).endsWith((byte) 2);
            h.force();
            assertThat(disk.crash(SimulatedDisk.Loss.KEEP_ALL, new Random(1)).file(FILE))
                    .as("a later force does not write it, even when everything pending survives")
                    .hasSize(512).containsOnly((byte) 1);
            h.write(back.flip().position(512), 512);
            h.force();
            assertThat(disk.crash(SimulatedDisk.Loss.DROP_ALL, new Random(1)).file(FILE))
                    .as("written again, it is durable at the next force").hasSize(1024).endsWith((byte) 2);
        }
    }

    @Test
    void afterAProcessCrashPendingWritesAreStillPending() throws IOException {
        SimulatedDisk disk = diskWithSyncedFile();
        LockHandle held = disk.lock(DIR.resolve("lock"), false);
        FileHandle h = disk.open(FILE, FileIO.Mode.READ_WRITE);
        h.write(filled(512, 5), 0);
        disk.crashAfter(0);
        assertThatThrownBy(h::force).hasMessage(SimulatedDisk.POWER_LOSS);
        disk.restartProcess();
        assertThat(disk.lock(DIR.resolve("lock"), false)).as("the dead process's lock").isNotNull();
        try (FileHandle again = disk.open(FILE, FileIO.Mode.READ)) {
            ByteBuffer b = ByteBuffer.allocate(512);
            assertThat(again.read(b, 0)).isEqualTo(512);
            assertThat(b.array()).containsOnly((byte) 5);
        }
        assertThat(disk.crash(SimulatedDisk.Loss.DROP_ALL, new Random(1)).file(FILE)).isEmpty();
        assertThat(held).isNotNull();
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

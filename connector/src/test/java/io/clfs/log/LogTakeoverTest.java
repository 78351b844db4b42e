package io.clfs.log;

import io.clfs.log.engine.MetadataStore;
import io.clfs.log.engine.OwnerLock;
import io.clfs.log.io.FileIO;
import io.clfs.log.io.ForeignWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Taking a log over from a writer in another process ({@link ClfsLog#openTakingOver}) and the owner
 * file beside the lock; a writer in this process is never taken over.
 */
class LogTakeoverTest {
    private static final LogPolicy SMALL = LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096);

    @TempDir
    Path dir;

    @TempDir
    Path work;

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(LogRecord r) {
        return new String(r.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void theOwnerFileNamesTheWriterItsHostPidEpochAndSince() throws Exception {
        Instant before = Instant.now();
        try (ClfsLog log = ClfsLog.create(FileIO.real(), dir, LogKind.DEDICATED, true, SMALL, "sink-0\nx")) {
            List<String> lines = Files.readAllLines(dir.resolve(OwnerLock.OWNER_FILE));
            assertThat(lines).hasSize(5);
            assertThat(lines.subList(0, 4)).containsExactly("owner=sink-0?x",
                    "host=" + InetAddress.getLocalHost().getHostName(), "pid=" + ProcessHandle.current().pid(),
                    "epoch=" + log.info().ownerEpoch());
            assertThat(lines.get(4)).startsWith("since=");
            assertThat(Instant.parse(lines.get(4).substring("since=".length()))).isBetween(before, Instant.now());
        }
    }

    @Test
    void aWriterInThisProcessIsNeverTakenOver() {
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, true, SMALL)) {
            assertThatThrownBy(() -> ClfsLog.open(dir)).isInstanceOf(LogLockedException.class);
            assertThatThrownBy(() -> ClfsLog.openTakingOver(FileIO.real(), dir, "taker"))
                    .isInstanceOf(LogLockedException.class).hasMessageContaining("held by another writer");
            assertThat(log.stillOwner()).isTrue();
            long lsn = log.stream().appendForced(text("still mine"));
            assertThat(text(log.stream().read(lsn))).isEqualTo("still mine");
        }
    }

    @Test
    void aFreeLogIsOpenedAsUsualWhenTakingOver() {
        ClfsLog.create(dir, LogKind.DEDICATED, true, SMALL).close();
        try (ClfsLog log = ClfsLog.openTakingOver(FileIO.real(), dir, "taker")) {
            assertThat(log.takenOverFrom()).isNull();
            assertThat(log.stillOwner()).isTrue();
        }
    }

    @Test
    void aLogHeldByAnotherProcessIsTakenOverAndItsWriterFenced() throws Exception {
        ClfsLog.create(dir, LogKind.DEDICATED, true, SMALL).close();
        try (ForeignWriter old = ForeignWriter.start(dir, work)) {
            String acknowledged = old.append("before");
            assertThat(acknowledged).isNotNull();
            assertThatThrownBy(() -> ClfsLog.open(dir)).isInstanceOf(LogLockedException.class);
            try (ClfsLog taker = ClfsLog.openTakingOver(FileIO.real(), dir, "taker")) {
                assertThat(taker.takenOverFrom()).startsWith("owner= host=").contains("pid=" + old.pid());
                assertThat(Files.readString(dir.resolve(OwnerLock.OWNER_FILE))).startsWith("owner=taker\n");
                assertThat(text(taker.stream().read(Lsn.parse(acknowledged)))).isEqualTo("before");

                assertThat(old.append("after")).as("the old writer acknowledges nothing more").isNull();
                assertThat(old.awaitExit()).isNotZero();
                assertThat(old.errors()).contains("newer writer");

                try (ForeignWriter late = ForeignWriter.start(dir, work)) {
                    assertThat(late.append("late")).as("a later writer finds the new lock held").isNull();
                    assertThat(late.errors()).contains("held by another writer");
                }
                long mine = taker.stream().appendForced(text("mine"));
                assertThat(text(taker.stream().read(mine))).isEqualTo("mine");
                assertThat(taker.stillOwner()).isTrue();
            }
        }
    }

    @Test
    void aMetadataLockHeldByAStalledProcessIsTakenOverAfterABoundedWait() throws Exception {
        ClfsLog.create(dir, LogKind.DEDICATED, true, SMALL).close();
        try (ForeignWriter stalled = ForeignWriter.holdingLocks(work, dir.resolve("clfs.lock"),
                dir.resolve(MetadataStore.LOCK_FILE))) {
            assertThat(stalled.append("hold")).isEqualTo("locked");
            long start = System.nanoTime();
            try (ClfsLog taker = ClfsLog.openTakingOver(FileIO.real(), dir, "taker")) {
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(took).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(30));
                long lsn = taker.stream().appendForced(text("x"));
                taker.stream().writeRestartArea(text("restart")); // a metadata update under the new lock
                assertThat(text(taker.stream().read(lsn))).isEqualTo("x");
            }
        }
    }
}

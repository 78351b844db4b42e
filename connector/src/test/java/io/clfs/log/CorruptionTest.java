package io.clfs.log;

import io.clfs.log.engine.MetadataStore;
import io.clfs.log.format.BlockHeader;
import io.clfs.log.format.Layout;
import io.clfs.log.engine.MetadataCodec;
import io.clfs.log.io.FileIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Damaged files on a real file system: a torn tail and garbage after the end are the normal
 * aftermath of a crash and must be recovered from; a bad block in the durable middle and bad
 * metadata are corruption and must be refused with a typed error that names file and offset.
 */
class CorruptionTest {
    private static final int PER_REGION = 60;

    @TempDir
    Path tmp;
    private WrittenLog w;
    private LogBytes bytes;

    @BeforeEach
    void writeLog() {
        w = WrittenLog.write(tmp.resolve("live"), tmp.resolve("crashed"), PER_REGION);
        bytes = new LogBytes(w.dir);
    }

    /** Start LSNs of the blocks holding records [from, to). */
    private List<Long> blocks(int from, int to) {
        TreeSet<Long> out = new TreeSet<>(Long::compareUnsigned);
        for (int i = from; i < to; i++) {
            out.add(bytes.blockOf(w.lsns.get(i)));
        }
        return new ArrayList<>(out);
    }

    @Test
    void aCleanCrashImageRecoversEverything() {
        try (ClfsLog log = ClfsLog.open(w.dir)) {
            w.assertRecords(log, w.lsns.size());
            assertThat(log.stream().durableEnd()).isEqualTo(w.end);
        }
    }

    /**
     * The last block (acknowledged after the last metadata write) loses every byte from the cut on,
     * for a cut at every byte: the log opens and ends before the block unless only its zero padding
     * was lost; everything before it is there.
     */
    @Test
    void tailCutAtEveryByteOfTheLastBlock() throws Exception {
        byte[] metadata = Files.readAllBytes(bytes.metadataFile());
        long last = bytes.blockOf(w.lsns.get(w.lsns.size() - 1));
        Path file = bytes.container(last);
        int length = bytes.blockLength(last);
        ByteBuffer original = bytes.read(file, Lsn.offset(last), length);
        int firstInBlock = w.indexAtOrAbove(last);
        assertThat(firstInBlock).as("the last block is past the vouched end").isGreaterThanOrEqualTo(w.firstUnvouched);
        for (int cut = 0; cut < length; cut++) {
            LogBytes.write(file, Lsn.offset(last), original.duplicate());
            LogBytes.write(file, Lsn.offset(last) + cut, ByteBuffer.allocate(length - cut));
            boolean lost = !onlyZeros(original, cut);
            int upTo = lost ? firstInBlock : w.lsns.size();
            try (ClfsLog log = ClfsLog.openReadOnly(FileIO.real(), w.dir)) {
                LogStream s = log.stream();
                assertThat(s.durableEnd()).as("end with the cut at byte %d", cut).isEqualTo(lost ? last : w.end);
                assertThat(s.lastLsn()).as("last LSN with the cut at byte %d", cut).isEqualTo(w.lsns.get(upTo - 1));
                if (cut % 509 == 0) {
                    w.assertRecords(log, upTo);
                }
            }
            if (cut % 256 == 0) {
                // The writer's recovery agrees, and vouches only for what it found.
                try (ClfsLog log = ClfsLog.open(w.dir)) {
                    assertThat(log.stream().durableEnd()).isEqualTo(lost ? last : w.end);
                    assertThat(log.stream().lastLsn()).isEqualTo(w.lsns.get(upTo - 1));
                }
                Files.write(bytes.metadataFile(), metadata);
            }
        }
        // A writer recovers the cut log: its end is where the cut block was, and (an unclean open
        // fences there) it goes on at the start of the next container.
        LogBytes.write(file, Lsn.offset(last) + 1, ByteBuffer.allocate(length - 1));
        try (ClfsLog log = ClfsLog.open(w.dir)) {
            w.assertRecords(log, firstInBlock);
            assertThat(log.stream().durableEnd()).isEqualTo(last);
            assertThat(log.stream().appendForced(ByteBuffer.wrap(new byte[]{1, 2, 3})) - Layout.BLOCK_HEADER_SIZE)
                    .isEqualTo(Lsn.of(Lsn.container(last) + 1, Layout.CONTAINER_HEADER_SIZE));
        }
    }

    private static boolean onlyZeros(ByteBuffer b, int from) {
        for (int i = from; i < b.limit(); i++) {
            if (b.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** After the end lie random bytes, a block header with a bad checksum, and bytes past the container's size. */
    @Test
    void garbageAfterTheEndIsIgnored() throws Exception {
        Path file = bytes.container(w.end);
        long end = Lsn.offset(w.end);
        byte[] garbage = new byte[64 << 10];
        new Random(7).nextBytes(garbage);
        LogBytes.write(file, end + 4096, ByteBuffer.wrap(garbage));
        ByteBuffer fake = bytes.read(file, Lsn.offset(bytes.blockOf(w.lsns.get(w.lsns.size() - 1))), 512);
        fake.putInt(4, fake.getInt(4) ^ 1);
        LogBytes.write(file, end, fake.rewind());
        Files.write(file, garbage, java.nio.file.StandardOpenOption.APPEND);
        try (ClfsLog log = ClfsLog.open(w.dir)) {
            w.assertRecords(log, w.lsns.size());
            assertThat(log.stream().durableEnd()).isEqualTo(w.end);
            long next = log.stream().appendForced(ByteBuffer.wrap(new byte[]{9}));
            // past the fence the unclean open left at the end: the garbage is never read
            assertThat(next - Layout.BLOCK_HEADER_SIZE)
                    .isEqualTo(Lsn.of(Lsn.container(w.end) + 1, Layout.CONTAINER_HEADER_SIZE));
        }
        try (ClfsLog log = ClfsLog.open(w.dir)) {
            List<LogRecord> all = WrittenLog.readAll(log);
            assertThat(all).hasSize(w.lsns.size() - w.firstReadable + 1);
            assertThat(all.get(all.size() - 1).bytes()).containsExactly(9);
        }
    }

    /** A flipped bit in any block between the checkpoint and the vouched end: open refuses, naming file and offset. */
    @Test
    void bitFlipBetweenCheckpointAndVouchedEndRefusesOpen() {
        Random random = new Random(3);
        List<Long> blocks = blocks(w.firstAfterCheckpoint, w.firstUnvouched);
        assertThat(blocks).hasSizeGreaterThan(5);
        for (long block : blocks) {
            Path file = bytes.container(block);
            int length = bytes.blockLength(block);
            for (int at : new int[]{0, 5, 9, 30, 64, 64 + 12, 64 + 41, random.nextInt(length), length - 1}) {
                long offset = Lsn.offset(block) + at;
                int bit = random.nextInt(8);
                LogBytes.flipBit(file, offset, bit);
                CorruptLogException e = catchThrowableOfType(CorruptLogException.class, () -> ClfsLog.open(w.dir));
                assertThat(e).as("open with a bit flipped at %s + %d", Lsn.toString(block), at).isNotNull();
                assertThat(e.file()).isEqualTo(file);
                assertThat(e.offset()).isEqualTo(Lsn.offset(block));
                assertThat(e.getMessage()).contains(file.toString()).contains("offset " + Lsn.offset(block));
                LogBytes.flipBit(file, offset, bit);
            }
        }
        try (ClfsLog log = ClfsLog.open(w.dir)) {
            w.assertRecords(log, w.lsns.size());
        }
    }

    /**
     * A flipped bit in a block between the lower tail and the checkpoint is not scanned at open
     * (recovery costs what was written since the checkpoint), but reading through it is refused.
     */
    @Test
    void bitFlipBelowTheCheckpointIsRefusedOnRead() {
        List<Long> blocks = blocks(w.firstReadable + 1, w.firstAfterCheckpoint - 1);
        long block = blocks.get(blocks.size() / 2);
        Path file = bytes.container(block);
        int inBlock = w.indexAtOrAbove(block);
        LogBytes.flipBit(file, Lsn.offset(block) + 100, 2);
        try (ClfsLog log = ClfsLog.open(w.dir)) {
            LogStream s = log.stream();
            assertThat(s.durableEnd()).isEqualTo(w.end);
            CorruptLogException forward = catchThrowableOfType(CorruptLogException.class, () -> WrittenLog.readAll(log));
            assertThat(forward).as("reading forward through the bad block").isNotNull();
            assertThat(forward.file()).isEqualTo(file);
            assertThat(forward.offset()).isEqualTo(Lsn.offset(block));
            CorruptLogException direct = catchThrowableOfType(CorruptLogException.class, () -> s.read(w.lsns.get(inBlock)));
            assertThat(direct).as("reading a record of the bad block by its LSN").isNotNull();
            assertThat(direct.file()).isEqualTo(file);
            assertThat(s.read(w.lsns.get(w.firstAfterCheckpoint)).bytes()).isEqualTo(w.payloads.get(w.firstAfterCheckpoint));
        }
    }

    /** Past the vouched end a bad block is a torn tail: the log ends before it. */
    @Test
    void bitFlipPastTheVouchedEndEndsTheLogThere() {
        long block = bytes.blockOf(w.lsns.get(w.firstUnvouched));
        LogBytes.flipBit(bytes.container(block), Lsn.offset(block) + 70, 0);
        try (ClfsLog log = ClfsLog.open(w.dir)) {
            assertThat(log.stream().durableEnd()).isEqualTo(block);
            w.assertRecords(log, w.indexAtOrAbove(block));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void oneMetadataCopyCorruptOpensFromTheOther(int slot) {
        Path meta = bytes.metadataFile();
        int length = MetadataCodec.encodedLength(bytes.meta);
        for (int at : new int[]{0, 4, 8, 16, 60, 200, length - 1}) {
            LogBytes.flipBit(meta, (long) slot * Layout.METADATA_SLOT_SIZE + at, 3);
            try (ClfsLog log = ClfsLog.openReadOnly(FileIO.real(), w.dir)) {
                w.assertRecords(log, w.lsns.size());
            }
            LogBytes.flipBit(meta, (long) slot * Layout.METADATA_SLOT_SIZE + at, 3);
        }
        LogBytes.flipBit(meta, (long) slot * Layout.METADATA_SLOT_SIZE + 100, 3);
        try (ClfsLog log = ClfsLog.open(w.dir)) {
            w.assertRecords(log, w.lsns.size());
        }
        // The writer's metadata updates overwrite the bad copy.
        MetadataStore store = new MetadataStore(FileIO.real(), w.dir);
        assertThat(store.readSlot(0).metadata()).isNotNull();
        assertThat(store.readSlot(1).metadata()).isNotNull();
    }

    @Test
    void bothMetadataCopiesCorruptIsRefused() {
        Path meta = bytes.metadataFile();
        LogBytes.flipBit(meta, 30, 1);
        LogBytes.flipBit(meta, Layout.METADATA_SLOT_SIZE + 30, 1);
        assertThatThrownBy(() -> ClfsLog.open(w.dir)).isInstanceOf(CorruptLogException.class)
                .hasMessageContaining(meta.toString()).hasMessageContaining("copy 0").hasMessageContaining("copy 1");
        assertThatThrownBy(() -> ClfsLog.openReadOnly(FileIO.real(), w.dir)).isInstanceOf(CorruptLogException.class);
    }

    /**
     * Containers are recycled while the log runs; the active one then holds the blocks of its
     * earlier life past the end. Neither reading forward nor reading by LSN may return them.
     */
    @Test
    void recycledContainersStaleBlocksAreNeverReturned() {
        Path live = tmp.resolve("recycled-live");
        Path crashed = tmp.resolve("recycled");
        List<Long> lsns = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        Random random = new Random(11);
        try (ClfsLog log = ClfsLog.create(live, LogKind.DEDICATED, true, WrittenLog.POLICY.withContainers(2, 2))) {
            LogStream s = log.stream();
            while (Lsn.container(lsns.isEmpty() ? 0 : lsns.get(lsns.size() - 1)) < 6
                    || Lsn.offset(lsns.get(lsns.size() - 1)) < 100 << 10) {
                byte[] p = new byte[100 + random.nextInt(1500)];
                random.nextBytes(p);
                lsns.add(s.append(p));
                payloads.add(p);
                if (lsns.size() % 50 == 0) {
                    long tail = lsns.get(lsns.size() - 40);
                    s.flush(lsns.get(lsns.size() - 1));
                    s.advanceBase(tail);
                    s.setArchiveTail(tail);
                }
            }
            log.flush();
            LogBytes.copy(live, crashed);
        }
        LogBytes recycled = new LogBytes(crashed);
        long end = Lsn.of(6, 0);
        // Logical 6 is active; the other container is already assigned to 7, ahead of the switch.
        assertThat(recycled.meta.containers()).extracting(c -> c.logicalId()).containsExactlyInAnyOrder(6L, 7L);
        // The active container's earlier life (logical 4) left whole blocks past the end.
        Path active = recycled.container(end);
        int oldBlocks = 0;
        for (long at = 200 << 10; at < WrittenLog.POLICY.containerSize(); at += Layout.SECTOR) {
            ByteBuffer h = recycled.read(active, at, Layout.BLOCK_HEADER_SIZE);
            if (h.getInt(0) == BlockHeader.MAGIC && h.getInt(BlockHeader.CONTAINER_OFFSET) == 4) {
                oldBlocks++;
            }
        }
        assertThat(oldBlocks).as("blocks of the container's earlier life past the end").isGreaterThan(10);

        try (ClfsLog log = ClfsLog.open(crashed)) {
            LogStream s = log.stream();
            int first = lsns.indexOf(Lsn.min(s.baseLsn(), s.archiveTail()));
            List<LogRecord> all = WrittenLog.readAll(log);
            assertThat(all).hasSize(lsns.size() - first);
            for (int i = 0; i < all.size(); i++) {
                assertThat(all.get(i).lsn()).isEqualTo(lsns.get(first + i));
                assertThat(all.get(i).bytes()).isEqualTo(payloads.get(first + i));
            }
            for (int i = 0; i < first; i += 7) {
                long old = lsns.get(i);
                assertThatThrownBy(() -> s.read(old)).isInstanceOf(LsnBelowTailsException.class);
            }
        }
    }

    @Test
    void badOrMissingContainerFileIsRefused() throws Exception {
        Path container = bytes.container(w.end);
        for (int at : new int[]{0, 12, 20, 33, 40}) {
            LogBytes.flipBit(container, at, 4);
            CorruptLogException e = catchThrowableOfType(CorruptLogException.class, () -> ClfsLog.open(w.dir));
            assertThat(e).as("container header bit flipped at %d", at).isNotNull();
            assertThat(e.file()).isEqualTo(container);
            assertThat(e.offset()).isZero();
            LogBytes.flipBit(container, at, 4);
        }
        Files.move(container, tmp.resolve("moved-away"));
        assertThatThrownBy(() -> ClfsLog.open(w.dir)).isInstanceOf(CorruptLogException.class)
                .hasMessageContaining(container.toString()).hasMessageContaining("missing");
    }

    @Test
    void truncatedMetadataFileIsRefused() throws Exception {
        Path meta = bytes.metadataFile();
        for (long size : new long[]{0, 100, Layout.METADATA_SLOT_SIZE + 100}) {
            byte[] all = Files.readAllBytes(meta);
            try (var ch = java.nio.channels.FileChannel.open(meta, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(size);
            }
            if (size > Layout.METADATA_SLOT_SIZE) {
                try (ClfsLog log = ClfsLog.openReadOnly(FileIO.real(), w.dir)) {
                    w.assertRecords(log, w.lsns.size()); // copy 0 is whole
                }
            } else {
                assertThatThrownBy(() -> ClfsLog.openReadOnly(FileIO.real(), w.dir))
                        .isInstanceOf(CorruptLogException.class);
            }
            Files.write(meta, all);
        }
    }
}

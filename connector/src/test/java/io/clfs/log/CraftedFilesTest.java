package io.clfs.log;

import io.clfs.log.format.BlockHeader;
import io.clfs.log.format.Checksum;
import io.clfs.log.format.Layout;
import io.clfs.log.engine.MetadataCodec;
import io.clfs.log.format.RecordHeader;
import io.clfs.log.io.FileIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

/**
 * Files crafted to pass the checksums while lying in a length, count or link: the parser must
 * refuse them with a typed error, never an index, buffer or allocation failure, never a loop.
 */
class CraftedFilesTest {
    /** Lengths that are too small, not sector multiples, past the container, or negative as an int. */
    private static final long[] BAD_LENGTHS = {0, 1, 63, 511, 513, 600 << 10, 0x7FFF_FE00L, 0x8000_0000L,
            0xFFFF_FE00L, 0xFFFF_FFFFL};

    @TempDir
    Path tmp;
    private WrittenLog w;
    private LogBytes bytes;

    @BeforeEach
    void writeLog() {
        w = WrittenLog.write(tmp.resolve("live"), tmp.resolve("crashed"), 40);
        bytes = new LogBytes(w.dir);
    }

    /** Runs {@code action}; anything it throws must be a typed log error. Returns what it threw, or null. */
    private static Throwable onlyTyped(Runnable action) {
        Throwable t = catchThrowable(action::run);
        if (t != null && !(t instanceof ClfsException)) {
            throw new AssertionError("expected a typed ClfsException, got " + t, t);
        }
        return t;
    }

    /** Opens the log and reads all of it, every restart area, and every record by LSN. */
    private void openAndReadEverything() {
        try (ClfsLog log = ClfsLog.open(w.dir)) {
            WrittenLog.readAll(log);
            try (ReadContext ctx = log.stream().restartAreas()) {
                for (int i = 0; ctx.next() != null; i++) {
                    assertThat(i).as("restart chain ends").isLessThan(w.lsns.size());
                }
            }
            for (long lsn : w.lsns) {
                onlyTyped(() -> log.stream().read(lsn));
            }
        }
    }

    private void restore() {
        LogBytes.copy(tmp.resolve("pristine"), w.dir);
    }

    @Test
    void oversizedBlockLengths() {
        LogBytes.copy(w.dir, tmp.resolve("pristine"));
        long middle = bytes.blockOf(w.lsns.get(w.firstAfterCheckpoint + 3));
        long old = bytes.blockOf(w.lsns.get(w.firstReadable + 3));
        for (int field : new int[]{BlockHeader.LENGTH_OFFSET, BlockHeader.DATA_LENGTH_OFFSET}) {
            for (long bad : BAD_LENGTHS) {
                String what = (field == BlockHeader.LENGTH_OFFSET ? "block length " : "data length ") + bad;
                // At the end: a torn tail, ignored.
                ByteBuffer fake = bytes.read(bytes.container(old), Lsn.offset(old), 512);
                fake.putInt(BlockHeader.CONTAINER_OFFSET, (int) Lsn.container(w.end)).putInt(field, (int) bad);
                LogBytes.write(bytes.container(w.end), Lsn.offset(w.end), fake.rewind());
                try (ClfsLog log = ClfsLog.open(w.dir)) {
                    assertThat(log.stream().durableEnd()).as(what + " past the end").isEqualTo(w.end);
                }
                restore();
                // In the vouched middle: corruption, refused on open.
                setInt(middle, field, bad);
                Throwable t = onlyTyped(() -> ClfsLog.open(w.dir).close());
                assertThat(t).as(what + " in the middle").isInstanceOf(CorruptLogException.class);
                assertThat(((CorruptLogException) t).offset()).isEqualTo(Lsn.offset(middle));
                restore();
                // Below the checkpoint: refused when read.
                setInt(old, field, bad);
                onlyTyped(this::openAndReadEverything);
                restore();
            }
        }
    }

    private void setInt(long blockLsn, int field, long value) {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) value);
        LogBytes.write(bytes.container(blockLsn), Lsn.offset(blockLsn) + field, b);
    }

    /** A record length that lies, inside a block whose checksum is right. */
    @Test
    void oversizedRecordLengths() {
        LogBytes.copy(w.dir, tmp.resolve("pristine"));
        long[] bad = {0, 8, 39, 4096, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL};
        for (long length : bad) {
            long middle = w.lsns.get(w.firstAfterCheckpoint + 2);
            bytes.craftRecord(middle, r -> r.putInt(RecordHeader.LENGTH_OFFSET, (int) length));
            Throwable t = onlyTyped(() -> ClfsLog.open(w.dir).close());
            assertThat(t).as("record length %d after the checkpoint", length).isInstanceOf(CorruptLogException.class);
            assertThat(((CorruptLogException) t).offset()).isEqualTo(Lsn.offset(middle));
            restore();

            long old = w.lsns.get(w.firstReadable + 2);
            bytes.craftRecord(old, r -> r.putInt(RecordHeader.LENGTH_OFFSET, (int) length));
            try (ClfsLog log = ClfsLog.open(w.dir)) {
                assertThat(onlyTyped(() -> WrittenLog.readAll(log))).as("reading through record length %d", length)
                        .isInstanceOf(CorruptLogException.class);
                assertThat(onlyTyped(() -> log.stream().read(old))).isInstanceOf(ClfsException.class);
            }
            restore();
        }
    }

    /** A record naming a stream the log does not have, checksums right. */
    @Test
    void recordOfAnUnknownStream() {
        LogBytes.copy(w.dir, tmp.resolve("pristine"));
        for (int stream : new int[]{1, 255, 256, 300, 0xFFFF}) {
            long middle = w.lsns.get(w.firstAfterCheckpoint + 2);
            bytes.craftRecord(middle, r -> r.putShort(RecordHeader.STREAM_OFFSET, (short) stream));
            Throwable t = onlyTyped(() -> ClfsLog.open(w.dir).close());
            assertThat(t).as("record of stream %d", stream).isInstanceOf(CorruptLogException.class)
                    .hasMessageContaining("stream id " + stream);
            restore();
        }
    }

    /**
     * Previous and undo-next links pointing at the record itself or forward: walking them, reading
     * forward through them, or reading the record ends with a typed error naming the record.
     */
    @Test
    void cyclicLinksEndWithATypedError() {
        LogBytes.copy(w.dir, tmp.resolve("pristine"));
        int a = w.firstAfterCheckpoint + 1;
        int b = a + 3;
        long lsnA = w.lsns.get(a);
        long lsnB = w.lsns.get(b);
        for (int field : new int[]{RecordHeader.PREVIOUS_OFFSET, RecordHeader.UNDO_NEXT_OFFSET}) {
            ReadMode mode = field == RecordHeader.PREVIOUS_OFFSET ? ReadMode.PREVIOUS : ReadMode.UNDO_NEXT;
            // a -> b -> a: a cycle through a forward link, refused at a.
            bytes.craftRecord(lsnA, r -> r.putLong(field, lsnB));
            bytes.craftRecord(lsnB, r -> r.putLong(field, lsnA));
            walk(mode, lsnB, lsnA);
            restore();
            // a -> a
            bytes.craftRecord(lsnA, r -> r.putLong(field, lsnA));
            walk(mode, lsnA, lsnA);
            restore();
        }
    }

    /** The newest restart area's previous link pointing at itself or above: the restart chain ends, typed. */
    @Test
    void aRestartChainThatDoesNotDescendEndsWithATypedError() {
        LogBytes.copy(w.dir, tmp.resolve("pristine"));
        long restart = w.lsns.get(w.firstAfterCheckpoint - 1);
        for (long link : new long[]{restart, w.lsns.get(w.firstAfterCheckpoint + 1)}) {
            bytes.craftRecord(restart, r -> r.putLong(RecordHeader.PREVIOUS_OFFSET, link));
            try (ClfsLog log = ClfsLog.open(w.dir); ReadContext ctx = log.stream().restartAreas()) {
                assertRefused(drain(ctx), restart);
                assertRefused(onlyTyped(() -> log.stream().readRestartArea()), restart);
                assertRefused(onlyTyped(() -> WrittenLog.readAll(log)), restart);
            }
            restore();
        }
    }

    private void walk(ReadMode mode, long start, long refused) {
        try (ClfsLog log = ClfsLog.open(w.dir); ReadContext ctx = log.stream().read(start, mode, RecordFilter.ALL)) {
            assertRefused(drain(ctx), refused);
        }
    }

    /** {@code t} is the refusal of the record at {@code lsn} for a link that does not point below it. */
    private void assertRefused(Throwable t, long lsn) {
        assertThat(t).isInstanceOf(CorruptLogException.class).hasMessageContaining("to point below it");
        assertThat(((CorruptLogException) t).file()).isEqualTo(bytes.container(lsn));
        assertThat(((CorruptLogException) t).offset()).isEqualTo(Lsn.offset(lsn));
    }

    /** Reads until the end or an error, failing if the context keeps returning records. */
    private Throwable drain(ReadContext ctx) {
        for (int i = 0; i < 1000; i++) {
            LogRecord[] r = new LogRecord[1];
            Throwable t = onlyTyped(() -> r[0] = ctx.next());
            if (t != null) {
                return t;
            }
            if (r[0] == null) {
                return null;
            }
        }
        return fail("the read context loops");
    }

    /** Metadata copies whose checksum is right but whose lengths and counts lie. */
    @Test
    void craftedMetadata() {
        LogBytes.copy(w.dir, tmp.resolve("pristine"));
        int length = MetadataCodec.encodedLength(bytes.meta);
        record Lie(String what, Consumer<ByteBuffer> edit) {
        }
        Lie[] lies = {
                new Lie("length past the slot", m -> m.putInt(8, Layout.METADATA_SLOT_SIZE + 8)),
                new Lie("length -1", m -> m.putInt(8, -1)),
                new Lie("container count 5000", m -> m.putInt(184, 5000)),
                new Lie("container count -1", m -> m.putInt(184, -1)),
                new Lie("stream count 9999", m -> m.putInt(188, 9999)),
                new Lie("stream count 2", m -> m.putInt(188, 2)),
                new Lie("prefix length 200", m -> m.put(96, (byte) 200)),
                new Lie("stream name length 60000", m -> m.putShort(length - 184 + 2, (short) 60000)),
                new Lie("stream id 300", m -> m.putShort(length - 184, (short) 300)),
                new Lie("dedicated stream renamed", m -> m.put(length - 184 + 56, (byte) 'x')),
                new Lie("physical id -5", m -> m.putInt(256, -5)),
                new Lie("duplicate physical id", m -> m.putInt(256 + 16, m.getInt(256))),
                new Lie("checkpoint past the container", m -> m.putLong(160, Lsn.of(1, 0xFFFF_FFF0L))),
                new Lie("block size -512", m -> m.putInt(72, -512)),
                new Lie("container size 1 TiB", m -> m.putLong(64, 1L << 40)),
        };
        for (Lie lie : lies) {
            for (int slot = 0; slot < 2; slot++) {
                craftSlot(slot, lie.edit);
                try (ClfsLog log = ClfsLog.openReadOnly(FileIO.real(), w.dir)) {
                    w.assertRecords(log, w.lsns.size()); // from the other copy
                } catch (RuntimeException e) {
                    throw new AssertionError(lie.what + " in copy " + slot + " only: " + e, e);
                }
                restore();
            }
            craftSlot(0, lie.edit);
            craftSlot(1, lie.edit);
            Throwable t = onlyTyped(() -> ClfsLog.open(w.dir).close());
            assertThat(t).as(lie.what + " in both copies").isInstanceOf(CorruptLogException.class);
            restore();
        }
    }

    /** Applies {@code edit} to metadata copy {@code slot} and recomputes its checksum over its (possibly new) length. */
    private void craftSlot(int slot, Consumer<ByteBuffer> edit) {
        Path file = bytes.metadataFile();
        long base = (long) slot * Layout.METADATA_SLOT_SIZE;
        ByteBuffer m = bytes.read(file, base, Layout.METADATA_SLOT_SIZE);
        edit.accept(m);
        long length = Integer.toUnsignedLong(m.getInt(8));
        if (length >= 8 && length <= m.limit()) {
            m.putInt(4, new Checksum().of(m, 8, (int) length));
        }
        LogBytes.write(file, base, m.rewind());
    }
}

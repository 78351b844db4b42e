package io.clfs.log;

import io.clfs.log.format.Checksum;
import io.clfs.log.format.Layout;
import io.clfs.log.engine.Metadata;
import io.clfs.log.engine.MetadataCodec;
import io.clfs.log.format.MetadataLayout;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and mutated input for the on-disk parser: whatever the bytes, decoding yields metadata or
 * {@link MetadataCodec.Invalid}, and opening and reading a log yields records or a
 * {@link ClfsException}. Mutations may fix up checksums so that they reach the checks behind them.
 */
class ParserPropertyTest {
    private static final int[] INTERESTING = {0, 1, -1, 8, 39, 40, 63, 64, 255, 256, 511, 512, 513, 4096, 0xFFFF,
            0x10000, 0x7FFF_FFFF, 0x8000_0000, 0x7FFF_FE00, 0xFFFF_FE00};

    /** A valid slot with some of everything: three containers (one free), two streams. */
    private static final byte[] SLOT = validSlot();

    private static byte[] validSlot() {
        LogPolicy policy = WrittenLog.POLICY;
        Metadata m = new Metadata(9, 0x1234, 0x5678, LogKind.MULTIPLEXED, true, 4, Lsn.of(3, 8192), policy,
                new Metadata.Checkpoint(Lsn.of(2, 4096), 17, 3),
                List.of(new Metadata.ContainerEntry(0, 2), new Metadata.ContainerEntry(1, 3),
                        new Metadata.ContainerEntry(2, 0)),
                List.of(new Metadata.StreamEntry(0, "orders", Lsn.of(2, 576), Lsn.of(2, 600), Lsn.of(2, 3000),
                                Lsn.of(2, 4000), Lsn.of(2, 3500)),
                        new Metadata.StreamEntry(7, "é", Lsn.of(3, 576), Lsn.of(3, 576), Lsn.INVALID, Lsn.INVALID,
                                Lsn.INVALID)));
        ByteBuffer b = MetadataCodec.encode(m, 1);
        return Arrays.copyOf(b.array(), b.limit());
    }

    /** One change to a byte array: a bit flip, a random byte, or an interesting 32-bit value. */
    record Mutation(int kind, int position, int value) {
        void apply(byte[] bytes) {
            int at = Math.floorMod(position, bytes.length);
            switch (kind) {
                case 0 -> bytes[at] ^= (byte) (1 << (value & 7));
                case 1 -> bytes[at] = (byte) value;
                default -> {
                    int aligned = Math.min(at & ~3, bytes.length - 4);
                    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
                            .putInt(aligned, INTERESTING[Math.floorMod(value, INTERESTING.length)]);
                }
            }
        }
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers(), Arbitraries.integers())
                .as(Mutation::new).list().ofMinSize(1).ofMaxSize(6);
    }

    private static void fixChecksum(byte[] slot) {
        ByteBuffer b = ByteBuffer.wrap(slot).order(ByteOrder.LITTLE_ENDIAN);
        long length = Integer.toUnsignedLong(b.getInt(8));
        if (length >= 8 && length <= slot.length) {
            b.putInt(4, new Checksum().of(b, 8, (int) length));
        }
    }

    /** Decodes; a success must survive an encode/decode round trip unchanged. */
    private static void decodeOrRefuse(byte[] bytes, int limit, int slot) {
        ByteBuffer b = ByteBuffer.wrap(bytes).limit(Math.min(limit, bytes.length));
        Metadata m;
        try {
            m = MetadataCodec.decode(b, slot);
        } catch (MetadataCodec.Invalid refused) {
            assertThat(refused.offset()).isBetween(0, Layout.METADATA_SLOT_SIZE);
            return;
        }
        try {
            assertThat(MetadataCodec.decode(MetadataCodec.encode(m, slot), slot)).isEqualTo(m);
        } catch (MetadataCodec.Invalid e) {
            throw new AssertionError("decoded metadata does not encode back: " + e.getMessage(), e);
        }
    }

    @Property(tries = 1000)
    void randomBytesDecodeOrAreRefused(@ForAll @Size(max = 1200) byte[] bytes, @ForAll @IntRange(max = 1) int slot,
                                       @ForAll boolean validHeader) {
        if (validHeader && bytes.length >= MetadataLayout.HEADER_SIZE) {
            // Past the magic, the length and the checksum, so that random bytes reach the field checks.
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(0, MetadataLayout.MAGIC).putInt(8, bytes.length).putShort(12, (short) Layout.FORMAT_VERSION)
                    .putShort(14, (short) slot);
            fixChecksum(bytes);
        }
        decodeOrRefuse(bytes, bytes.length, slot);
    }

    @Property(tries = 3000)
    void mutatedSlotsDecodeOrAreRefused(@ForAll("mutations") List<Mutation> mutations, @ForAll boolean fixChecksum,
                                        @ForAll @IntRange(min = 0, max = 600) int cut) {
        byte[] slot = SLOT.clone();
        for (Mutation m : mutations) {
            m.apply(slot);
        }
        if (fixChecksum) {
            fixChecksum(slot);
        }
        decodeOrRefuse(slot, cut < 100 ? cut * 5 : slot.length, 1);
    }

    // ------------------------------------------------------------------ whole logs

    /** A small log written once; each try damages a copy of it. */
    private static final Template TEMPLATE = new Template();

    private static final class Template {
        final Path dir;
        final WrittenLog log;
        final List<Long> blocks;

        Template() {
            try {
                Path root = Files.createTempDirectory("clfs-fuzz");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        deleteTree(root);
                    } catch (IOException ignored) {
                        // a temp directory left behind
                    }
                }));
                log = WrittenLog.write(root.resolve("live"), root.resolve("crashed"), 24);
                dir = log.dir;
                LogBytes bytes = new LogBytes(dir);
                blocks = log.lsns.stream().map(bytes::blockOf).distinct().sorted(Lsn::compare).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Where a file mutation lands: a metadata copy, or a block of the log (optionally resealed). */
    record FileMutation(int target, int index, Mutation mutation) {
    }

    @Provide
    Arbitrary<List<FileMutation>> fileMutations() {
        Arbitrary<Mutation> m = Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers(),
                Arbitraries.integers()).as(Mutation::new);
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 10_000), m)
                .as(FileMutation::new).list().ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 80)
    void damagedLogsOpenOrAreRefusedTyped(@ForAll("fileMutations") List<FileMutation> mutations,
                                          @ForAll boolean fixChecksums) throws IOException {
        Path dir = Files.createTempDirectory("clfs-fuzz-try");
        try {
            LogBytes.copy(TEMPLATE.dir, dir);
            LogBytes bytes = new LogBytes(dir);
            for (FileMutation f : mutations) {
                damage(bytes, f, fixChecksums);
            }
            openAndReadEverything(dir);
        } finally {
            deleteTree(dir);
        }
    }

    private static void damage(LogBytes bytes, FileMutation f, boolean fixChecksums) {
        if (f.target < 2) {
            Path file = bytes.metadataFile();
            long base = (long) f.target * Layout.METADATA_SLOT_SIZE;
            ByteBuffer read = bytes.read(file, base, SLOT.length);
            byte[] slot = new byte[read.remaining()];
            read.get(slot);
            f.mutation.apply(slot);
            if (fixChecksums) {
                fixChecksum(slot);
            }
            LogBytes.write(file, base, ByteBuffer.wrap(slot));
            return;
        }
        long block = TEMPLATE.blocks.get(f.index % TEMPLATE.blocks.size());
        if (fixChecksums) {
            bytes.craftBlock(block, b -> {
                byte[] all = new byte[b.limit()];
                b.get(0, all);
                f.mutation.apply(all);
                b.put(0, all);
            });
        } else {
            ByteBuffer b = bytes.read(bytes.container(block), Lsn.offset(block), bytes.blockLength(block));
            byte[] all = new byte[b.limit()];
            b.get(all);
            f.mutation.apply(all);
            LogBytes.write(bytes.container(block), Lsn.offset(block), ByteBuffer.wrap(all));
        }
    }

    /** Opens as the writer and reads every way there is; only typed log errors may come out. */
    private static void openAndReadEverything(Path dir) {
        try (ClfsLog log = ClfsLog.open(dir)) {
            if (log.streamNames().isEmpty()) {
                return;
            }
            // A damaged kind byte under a repaired checksum makes a valid multiplexed log: name its stream.
            LogStream s = log.kind() == LogKind.DEDICATED ? log.stream() : log.stream(log.streamNames().get(0));
            typed(() -> drain(s.readFromTail(RecordFilter.ALL)));
            typed(() -> drain(s.restartAreas()));
            typed(() -> drain(s.read(s.lastLsn(), ReadMode.PREVIOUS, RecordFilter.ALL)));
            typed(() -> drain(s.read(s.lastLsn(), ReadMode.UNDO_NEXT, RecordFilter.DATA)));
            for (long lsn : TEMPLATE.log.lsns) {
                typed(() -> s.read(lsn));
            }
            typed(() -> s.appendForced(ByteBuffer.wrap(new byte[]{1, 2, 3})));
        } catch (ClfsException refused) {
            // refusing to open a damaged log is fine; how is what this property checks
        }
    }

    private static void typed(Runnable read) {
        try {
            read.run();
        } catch (ClfsException refused) {
            // a typed refusal
        }
    }

    private static void drain(ReadContext ctx) {
        for (int i = 0; ctx.next() != null; i++) {
            assertThat(i).as("a read context that keeps returning records").isLessThan(10_000);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

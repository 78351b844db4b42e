package io.clfs.log;

import io.clfs.log.OwnerFencingTest.NoOwnerLock;
import io.clfs.log.engine.BlockReader;
import io.clfs.log.engine.ContainerFiles;
import io.clfs.log.engine.Metadata;
import io.clfs.log.engine.MetadataStore;
import io.clfs.log.format.Layout;
import io.clfs.log.format.MetadataLayout;
import io.clfs.log.io.FileHandle;
import io.clfs.log.io.FileIO;
import io.clfs.tool.ClfsTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fence an unclean open leaves (docs/format.md, "Fencing an older owner"), piece by piece: the
 * chain walk across it, a reader opened before the takeover, a stale container reused, and the
 * clean close that makes the next open cost nothing more.
 */
class TakeoverFenceTest {
    private static final LogPolicy SMALL = LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096);

    @TempDir
    Path dir;

    private final FileIO io = new NoOwnerLock(FileIO.real());

    private static ByteBuffer record(int tag, int length) {
        byte[] r = new byte[length];
        r[0] = (byte) tag;
        return ByteBuffer.wrap(r);
    }

    private Metadata metadata() {
        return new MetadataStore(io, dir).readNewest();
    }

    private static List<Long> walk(BlockReader r, Metadata m) {
        List<Long> blocks = new ArrayList<>();
        r.startChain(m.checkpoint());
        r.walk(m.ownerEpoch(), b -> blocks.add(b.position()));
        return blocks;
    }

    @Test
    void theChainLeavesTheFencedContainerAtTheFenceAndSkipsTheOlderOwnersBlockThere() throws IOException {
        ClfsLog.create(io, dir, LogKind.DEDICATED, false, SMALL).close();
        ClfsLog old = ClfsLog.open(io, dir);
        for (int i = 0; i < 3; i++) {
            old.stream().appendForced(record(i, 100));
        }
        try (ClfsLog newer = ClfsLog.open(io, dir)) {
            long zombie = old.stream().append(record(99, 100).array());
            assertThatThrownBy(() -> old.stream().flush(zombie)).isInstanceOf(OwnerFencedException.class);
            long mine = newer.stream().appendForced(record(200, 100));

            Metadata m = metadata();
            long fence = m.fencing().fence().position();
            long next = Lsn.of(Lsn.container(fence) + 1, Layout.CONTAINER_HEADER_SIZE);
            assertThat(zombie - Layout.BLOCK_HEADER_SIZE).as("O's block lies at the fence").isEqualTo(fence);
            assertThat(mine - Layout.BLOCK_HEADER_SIZE).as("N's first block").isEqualTo(next);
            try (ContainerFiles files = new ContainerFiles(io, dir, false)) {
                BlockReader r = new BlockReader(files, m);
                assertThat(r.load(fence)).as("O's block at the fence is whole").isTrue();
                assertThat(walk(r, m)).doesNotContain(fence).contains(next);

                // Without the fence the same walk takes O's block: the fence is what keeps it out.
                List<Metadata.ContainerEntry> unfenced = new ArrayList<>();
                m.containers().forEach(c -> unfenced.add(c.holding(c.logicalId())));
                Metadata before = m.withContainers(unfenced).withFencing(Metadata.Fencing.NONE);
                BlockReader stale = new BlockReader(files, before);
                assertThat(walk(stale, before)).contains(fence).doesNotContain(next);

                // A reader that walked past the fence that way learns of it and goes on from there.
                assertThat(stale.metadata(m)).as("walked past the fence").isTrue();
                assertThat(stale.chainPosition()).isEqualTo(fence);
                assertThat(stale.next(m.ownerEpoch())).isTrue();
                assertThat(stale.position()).isEqualTo(next);
            }
        } finally {
            old.close();
        }
    }

    @Test
    void infoShowsWhereTheTakeoverFencedTheOlderOwner() throws IOException {
        ClfsLog.create(io, dir, LogKind.DEDICATED, false, SMALL).close();
        assertThat(info()).contains("closedCleanly true").noneMatch(l -> l.startsWith("fence "));
        ClfsLog old = ClfsLog.open(io, dir);
        old.stream().appendForced(record(1, 100));
        try (ClfsLog newer = ClfsLog.open(io, dir)) {
            newer.stream().appendForced(record(2, 100));
            Metadata m = metadata();
            long fence = m.fencing().fence().position();
            assertThat(info()).contains("closedCleanly false",
                    "fence " + Lsn.toString(fence) + " epoch " + m.ownerEpoch())
                    .anyMatch(l -> l.contains("logicalId " + Lsn.container(fence) + " state active fenceOffset "
                            + Lsn.offset(fence)));
        } finally {
            assertThatThrownBy(old::close).isInstanceOf(OwnerFencedException.class);
        }
        assertThat(info()).contains("closedCleanly true").anyMatch(l -> l.startsWith("fence "));
    }

    /** {@code clfs info} of the log, line by line. */
    private List<String> info() {
        StringWriter out = new StringWriter();
        int exit = ClfsTool.commandLine(InputStream.nullInputStream(), new PrintWriter(out),
                new PrintWriter(new StringWriter())).execute("info", dir.toString());
        assertThat(exit).as("clfs info exit code").isZero();
        return out.toString().lines().toList();
    }

    @Test
    void aReaderOpenedBeforeTheTakeoverReadsAcrossTheFenceAndNeverAZombieRecord() throws IOException {
        ClfsLog.create(io, dir, LogKind.DEDICATED, false, SMALL).close();
        ClfsLog old = ClfsLog.open(io, dir);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            old.stream().appendForced(record(i, 300));
            expected.add(i);
        }
        List<Integer> read = new ArrayList<>();
        try (ClfsLog reader = ClfsLog.openReadOnly(FileIO.real(), dir);
             ReadContext ctx = reader.stream().readFromTail(RecordFilter.DATA)) {
            drain(ctx, read);
            assertThat(read).containsExactlyElementsOf(expected);
            List<Path> before = io.list(dir);
            boolean[] ran = {false};
            // Between N's scan and its fence (its first write into the new container): O writes
            // past the end N found, and the reader looks.
            NoOwnerLock newersDisk = new NoOwnerLock(FileIO.real()) {
                @Override
                protected void beforeWrite(Path file) {
                    if (!ran[0] && !before.contains(file) && file.getFileName().toString().startsWith("container-")) {
                        ran[0] = true;
                        long zombie = old.stream().append(record(99, 300).array());
                        assertThatThrownBy(() -> old.stream().flush(zombie)).isInstanceOf(OwnerFencedException.class);
                        drain(ctx, read);
                    }
                }
            };
            try (ClfsLog newer = ClfsLog.open(newersDisk, dir)) {
                assertThat(ran[0]).as("the older owner wrote during the takeover").isTrue();
                for (int j = 200; j < 203; j++) {
                    newer.stream().appendForced(record(j, 300));
                    expected.add(j);
                }
                drain(ctx, read);
            }
            assertThat(read).containsExactlyElementsOf(expected);
        } finally {
            old.close();
        }
    }

    private static void drain(ReadContext ctx, List<Integer> into) {
        for (LogRecord r = ctx.next(); r != null; r = ctx.next()) {
            into.add(r.bytes()[0] & 0xff);
        }
    }

    @Test
    void aStaleContainerIsCreatedAnewBeforeItIsReused() throws IOException {
        LogPolicy policy = SMALL.withContainers(2, 3);
        ClfsLog.create(io, dir, LogKind.DEDICATED, false, policy).close();
        ClfsLog old = ClfsLog.open(io, dir);
        for (int i = 0; i < 40; i++) {
            old.stream().appendForced(record(i, 16 << 10)); // into the second container
        }
        try (ClfsLog newer = ClfsLog.open(io, dir)) {
            Metadata fenced = metadata();
            Map<Integer, Object> keys = new HashMap<>();
            // The older owner may still hold any of these files open (it closes the ones it left, so
            // hold them here): a file held open keeps its inode, which a new file then cannot reuse.
            List<FileHandle> heldByOlderOwner = new ArrayList<>();
            for (Metadata.ContainerEntry c : fenced.containers()) {
                Path file = ContainerFiles.path(dir, policy, c.physicalId());
                keys.put(c.physicalId(), io.fileKey(file));
                heldByOlderOwner.add(io.open(file, FileIO.Mode.READ_WRITE));
            }
            assertThat(fenced.containers()).filteredOn(fenced::stale).isNotEmpty();
            LogStream s = newer.stream();
            long last = 0;
            for (int i = 0; i < 70; i++) { // past the new container: the next one reuses a stale file
                last = s.appendForced(record(100 + i, 16 << 10));
                s.advanceBase(last);
            }
            Metadata after = metadata();
            List<Metadata.ContainerEntry> reused = after.containers().stream()
                    .filter(c -> keys.containsKey(c.physicalId()) && c.logicalId() > Lsn.container(
                            fenced.fencing().fence().position()) + 1)
                    .toList();
            assertThat(reused).as("stale containers reused").isNotEmpty();
            for (Metadata.ContainerEntry c : reused) {
                assertThat(io.fileKey(ContainerFiles.path(dir, policy, c.physicalId())))
                        .as("file of container %d", c.physicalId()).isNotEqualTo(keys.get(c.physicalId()));
                assertThat(c.fileEpoch()).isEqualTo(after.ownerEpoch());
            }
            assertThat(s.read(last).bytes()[0] & 0xff).isEqualTo(169);
            for (FileHandle h : heldByOlderOwner) {
                h.close();
            }
        } finally {
            assertThatThrownBy(old::close).as("the older owner's close").isInstanceOf(OwnerFencedException.class);
        }
    }

    @Test
    void aCleanCloseMakesTheNextOpenFenceNothingAndAnUncleanOneFences() throws IOException {
        ClfsLog.create(io, dir, LogKind.DEDICATED, false, SMALL).close();
        try (ClfsLog log = ClfsLog.open(io, dir)) {
            log.stream().appendForced(record(1, 100));
        }
        List<Path> files = io.list(dir);
        Object metaFile = io.fileKey(dir.resolve(MetadataStore.FILE));
        Metadata closed = metadata();
        assertThat(closed.fencing().closedCleanly()).isTrue();
        try (ClfsLog log = ClfsLog.open(io, dir)) {
            assertThat(io.list(dir)).as("files after a clean reopen").isEqualTo(files);
            assertThat(io.fileKey(dir.resolve(MetadataStore.FILE))).isEqualTo(metaFile);
            Metadata reopened = metadata();
            assertThat(reopened.containers()).isEqualTo(closed.containers());
            assertThat(reopened.fencing().fenceEpoch()).isZero();
            assertThat(reopened.fencing().closedCleanly()).isFalse();
            assertThat(version()).isEqualTo(Layout.FORMAT_VERSION);
        }
    }

    @Test
    void anUncleanOpenReplacesTheMetadataFileAndStartsANewContainerFile() throws IOException {
        ClfsLog.create(io, dir, LogKind.DEDICATED, false, SMALL).close();
        ClfsLog old = ClfsLog.open(io, dir);
        old.stream().appendForced(record(1, 100));
        List<Path> files = io.list(dir);
        Object metaFile = io.fileKey(dir.resolve(MetadataStore.FILE));
        try (ClfsLog newer = ClfsLog.open(io, dir)) {
            assertThat(io.fileKey(dir.resolve(MetadataStore.FILE))).isNotEqualTo(metaFile);
            assertThat(io.list(dir)).hasSize(files.size() + 1).containsAll(files);
            Metadata m = metadata();
            assertThat(m.fencing().fenceEpoch()).isEqualTo(m.ownerEpoch());
            assertThat(version()).isEqualTo(Layout.FENCED_METADATA_VERSION);
            assertThat(newer.stream().read(newer.stream().lastLsn()).bytes()[0]).isEqualTo((byte) 1);
        } finally {
            assertThatThrownBy(old::close).as("the older owner's close").isInstanceOf(OwnerFencedException.class);
        }
    }

    /**
     * Two openers after an unclean close: the first has read the metadata when the second's fence
     * replaces the file. The first's fence must bump what the second wrote, by name, not the file it
     * still holds: else both would own the log under one epoch.
     */
    @Test
    void aFenceBumpsTheMetadataAnotherOpenerReplacedMeanwhile() throws IOException {
        ClfsLog.create(io, dir, LogKind.DEDICATED, false, SMALL).close();
        long created = metadata().ownerEpoch();
        long[] seenByFirst = {-1};
        try (MetadataStore first = new MetadataStore(io, dir, true);
             MetadataStore second = new MetadataStore(io, dir, true)) {
            assertThat(first.readNewest().ownerEpoch()).isEqualTo(created); // holds the file open, as an open does
            second.replace(m -> m.withOwnerEpoch(created + 1));
            first.replace(m -> {
                seenByFirst[0] = m.ownerEpoch();
                return m.withOwnerEpoch(m.ownerEpoch() + 1);
            });
        }
        assertThat(seenByFirst[0]).as("the epoch the first opener's fence read").isEqualTo(created + 1);
        assertThat(metadata().ownerEpoch()).isEqualTo(created + 2);
    }

    private int version() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(MetadataStore.FILE))).order(ByteOrder.LITTLE_ENDIAN);
        return Math.max(b.getShort(MetadataLayout.VERSION_OFFSET),
                b.getShort(Layout.METADATA_SLOT_SIZE + MetadataLayout.VERSION_OFFSET));
    }
}

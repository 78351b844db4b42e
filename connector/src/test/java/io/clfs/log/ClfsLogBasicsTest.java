package io.clfs.log;

import io.clfs.log.engine.MetadataStore;
import io.clfs.log.format.Layout;
import io.clfs.log.engine.Metadata;
import io.clfs.log.engine.MetadataCodec;
import io.clfs.log.io.FileIO;
import io.clfs.log.format.MetadataLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClfsLogBasicsTest {
    private static final LogPolicy SMALL = LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096)
            .withContainers(2, 8);

    @TempDir
    Path dir;

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(LogRecord r) {
        return new String(r.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void appendedRecordsSurviveReopenInOrder() {
        List<Long> lsns = new ArrayList<>();
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, true, SMALL)) {
            LogStream s = log.stream();
            for (int i = 0; i < 100; i++) {
                lsns.add(s.append(text("record-" + i)));
            }
            log.flush();
        }
        try (ClfsLog log = ClfsLog.open(dir)) {
            LogStream s = log.stream();
            assertThat(s.lastLsn()).isEqualTo(lsns.get(99));
            ReadContext ctx = s.readFromTail(RecordFilter.DATA);
            for (int i = 0; i < 100; i++) {
                LogRecord r = ctx.next();
                assertThat(r).isNotNull();
                assertThat(r.lsn()).isEqualTo(lsns.get(i));
                assertThat(text(r)).isEqualTo("record-" + i);
            }
            assertThat(ctx.next()).isNull();
            assertThat(text(s.read(lsns.get(50)))).isEqualTo("record-50");
        }
    }

    @Test
    void aViewReadGivesTheRecordsANextReadGivesAcrossBlocks() {
        List<Long> lsns = new ArrayList<>();
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, true, SMALL)) {
            LogStream s = log.stream();
            for (int i = 0; i < 300; i++) { // several 4 KiB blocks
                lsns.add(s.append(text("record-" + i + "-" + "x".repeat(i % 50))));
            }
            log.flush();
            ReadContext views = s.readFromTail(RecordFilter.DATA);
            ReadContext copies = s.readFromTail(RecordFilter.DATA);
            for (int i = 0; i < 300; i++) {
                LogRecord view = views.nextView();
                LogRecord copy = copies.next();
                assertThat(view.lsn()).isEqualTo(lsns.get(i)).isEqualTo(copy.lsn());
                assertThat(view.type()).isEqualTo(copy.type());
                assertThat(view.data().isReadOnly()).isTrue();
                assertThat(text(view)).isEqualTo(text(copy)).isEqualTo("record-" + i + "-" + "x".repeat(i % 50));
            }
            assertThat(views.nextView()).isNull();
        }
    }

    @Test
    void restartAreasChainAndMoveTheBase() {
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, true, SMALL)) {
            LogStream s = log.stream();
            long a = s.append(text("a"));
            long r1 = s.writeRestartArea(text("r1"));
            long b = s.append(text("b"));
            long r2 = s.writeRestartArea(text("r2"), b);
            assertThat(s.baseLsn()).isEqualTo(b);
            assertThat(text(s.readRestartArea())).isEqualTo("r2");
            ReadContext chain = s.restartAreas();
            assertThat(chain.next().lsn()).isEqualTo(r2);
            // The archive tail has not moved, so r1 is released but still readable.
            assertThat(chain.next().lsn()).isEqualTo(r1);
            assertThat(chain.next()).isNull();
            s.setArchiveTail(b);
            assertThatThrownBy(() -> s.read(a)).isInstanceOf(LsnBelowTailsException.class)
                    .hasMessageContaining("base LSN " + Lsn.toString(b));
        }
    }

    @Test
    void fillsManyContainersAndRecyclesWhenTailsMove() {
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, true, SMALL)) {
            LogStream s = log.stream();
            byte[] payload = new byte[1000];
            long last = 0;
            for (int i = 0; i < 5000; i++) {
                last = s.append(payload);
                if (i % 100 == 99) {
                    s.flush(last);
                    s.advanceBase(last);
                    s.setArchiveTail(last);
                }
            }
            log.flush();
            assertThat(Lsn.container(last)).isGreaterThan(8);
            assertThat(log.info().containers().size()).isLessThanOrEqualTo(8);
        }
        try (ClfsLog log = ClfsLog.open(dir)) {
            assertThat(log.stream().read(log.stream().baseLsn()).bytes()).hasSize(1000);
        }
    }

    @Test
    void moveTailsMovesBothTailsAtOnceAndChecksEach() {
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, true, SMALL)) {
            LogStream s = log.stream();
            long a = s.append(text("a"));
            long b = s.append(text("b"));
            long c = s.append(text("c"));
            log.flush();
            s.moveTails(b, a);
            assertThat(s.baseLsn()).isEqualTo(b);
            assertThat(s.archiveTail()).isEqualTo(a);

            assertThatThrownBy(() -> s.moveTails(c, c + 1)).isInstanceOf(InvalidTailMoveException.class)
                    .hasMessageContaining("archive tail");
            assertThatThrownBy(() -> s.moveTails(a, c)).isInstanceOf(InvalidTailMoveException.class)
                    .hasMessageContaining("base LSN").hasMessageContaining("only moves forward");
            assertThat(s.baseLsn()).as("a refused move moves neither tail").isEqualTo(b);
            assertThat(s.archiveTail()).isEqualTo(a);

            s.moveTails(Lsn.INVALID, c); // INVALID leaves the base where it is
            assertThat(s.baseLsn()).isEqualTo(b);
            assertThat(s.archiveTail()).isEqualTo(c);
        }
        try (ClfsLog log = ClfsLog.open(dir)) {
            assertThat(log.stream().baseLsn()).isNotEqualTo(log.stream().archiveTail());
            assertThat(text(log.stream().read(log.stream().archiveTail()))).isEqualTo("c");
            assertThat(text(log.stream().read(log.stream().baseLsn()))).isEqualTo("b");
        }
        Path ephemeral = dir.resolve("ephemeral");
        try (ClfsLog log = ClfsLog.create(ephemeral, LogKind.DEDICATED, false, SMALL)) {
            long a = log.stream().append(text("a"));
            log.flush();
            assertThatThrownBy(() -> log.stream().moveTails(a, a)).isInstanceOf(InvalidTailMoveException.class)
                    .hasMessageContaining("ephemeral");
            log.stream().moveTails(a, Lsn.INVALID);
            assertThat(log.stream().baseLsn()).isEqualTo(a);
        }
    }

    /**
     * A tail moved onto the newest record, data record or restart record of a stream is checked
     * from what the writer knows, without reading the block: it must still be durable and the
     * stream's own, as a target read from the container must be.
     */
    @Test
    void aTailMovesOntoTheNewestRecordsOnlyOnceTheyAreDurable() {
        long data;
        try (ClfsLog log = ClfsLog.create(dir, LogKind.MULTIPLEXED, true, SMALL)) {
            LogStream x = log.stream("x");
            LogStream y = log.stream("y");
            x.append(text("a"));
            long restart = x.writeRestartArea(text("r"));
            data = x.append(text("b"));
            long other = y.append(text("o"));
            assertThatThrownBy(() -> x.moveTails(data, Lsn.INVALID)).isInstanceOf(InvalidTailMoveException.class)
                    .hasMessageContaining("durable end");
            assertThatThrownBy(() -> y.moveTails(Lsn.INVALID, other)).isInstanceOf(InvalidTailMoveException.class)
                    .hasMessageContaining("durable end");
            log.flush();
            assertThatThrownBy(() -> x.moveTails(other, Lsn.INVALID)).isInstanceOf(InvalidTailMoveException.class)
                    .hasMessageContaining("another stream");
            x.moveTails(restart, restart);
            assertThat(x.baseLsn()).isEqualTo(restart);
            x.moveTails(data, data);
            assertThat(x.baseLsn()).isEqualTo(data);
            assertThat(x.archiveTail()).isEqualTo(data);
        }
        try (ClfsLog log = ClfsLog.open(dir)) {
            LogStream y = log.stream("y");
            long recovered = y.lastLsn();
            assertThat(text(y.read(recovered))).isEqualTo("o");
            y.moveTails(recovered, recovered); // the newest record as recovered, not appended by this writer
            assertThat(y.lowerTail()).isEqualTo(recovered);
            assertThat(text(log.stream("x").read(data))).isEqualTo("b");
        }
    }

    /** Metadata reads take the first 4 KiB of a copy and the rest only when the copy is longer. */
    @Test
    void metadataLongerThanTheFirstReadOpensWhole() throws Exception {
        List<Long> lsns = new ArrayList<>();
        try (ClfsLog log = ClfsLog.create(dir, LogKind.MULTIPLEXED, true, SMALL)) {
            for (int i = 0; i < 40; i++) {
                lsns.add(log.stream("stream-" + i).append(text("record of " + i)));
            }
            log.flush();
        }
        assertThat(Files.size(dir.resolve(MetadataStore.FILE)))
                .as("a copy longer than the first read").isGreaterThan(Layout.METADATA_SLOT_SIZE
                        + MetadataStore.FIRST_READ);
        for (ClfsLog log : List.of(ClfsLog.open(dir), ClfsLog.openReadOnly(dir))) {
            try (log) {
                assertThat(log.streamNames()).hasSize(40);
                for (int i = 0; i < 40; i++) {
                    assertThat(text(log.stream("stream-" + i).read(lsns.get(i)))).isEqualTo("record of " + i);
                }
            }
        }
        assertThat(LogVerifier.verify(dir).faults()).isEmpty();
    }

    @Test
    void fullLogNamesWhatPinsIt() {
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, true, SMALL.withContainers(2, 2))) {
            LogStream s = log.stream();
            byte[] payload = new byte[1000];
            assertThatThrownBy(() -> {
                for (int i = 0; i < 10_000; i++) {
                    s.append(payload);
                }
            }).isInstanceOf(LogFullException.class).hasMessageContaining("base LSN of stream 'default'");
        }
    }

    @Test
    void lsnTextIsStrict() {
        assertThat(Lsn.parse(Lsn.toString(Lsn.of(7, 4096)))).isEqualTo(Lsn.of(7, 4096));
        assertThat(Lsn.parse("FFFFFFFF:ffffffff")).isEqualTo(Lsn.INVALID);
        for (String bad : new String[]{"-0000001:00000200", "+0000001:00000200", "00000001-00000200", "1:200", "",
            "0000000g:00000000"}) {
            assertThatThrownBy(() -> Lsn.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cccccccc:oooooooo");
        }
    }

    @Test
    void aRefusedBaseLeavesNoRestartRecord() {
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, true, SMALL)) {
            LogStream s = log.stream();
            long a = s.appendForced(text("a"));
            assertThatThrownBy(() -> s.writeRestartArea(text("r"), a + 8)).isInstanceOf(InvalidTailMoveException.class);
            assertThat(s.restartLsn()).isEqualTo(Lsn.INVALID);
            try (ReadContext ctx = s.readFromTail(RecordFilter.RESTART)) {
                assertThat(ctx.next()).isNull();
            }
        }
    }

    @Test
    void aDamagedBlockBelowTheDurableEndIsAnErrorNotTheEnd() throws Exception {
        long middle = 0;
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, true, SMALL)) {
            LogStream s = log.stream();
            for (int i = 0; i < 200; i++) {
                long lsn = s.appendForced(ByteBuffer.wrap(new byte[500]));
                if (i == 100) {
                    middle = lsn;
                }
            }
            // Flip a bit inside the block that holds the middle record while the writer is open.
            try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(
                    dir.resolve("container-000000.clfs").toFile(), "rw")) {
                f.seek(Lsn.offset(middle) + 60);
                int b = f.read();
                f.seek(Lsn.offset(middle) + 60);
                f.write(b ^ 1);
            }
            assertThatThrownBy(() -> {
                try (ReadContext ctx = s.readFromTail(RecordFilter.DATA)) {
                    while (ctx.next() != null) {
                        // read on until the damaged block
                    }
                }
            }).isInstanceOf(CorruptLogException.class).hasMessageContaining("container-000000.clfs")
                    .hasMessageContaining("checksum");
        }
    }

    @Test
    void aStreamBornAtTheEndOfAContainerReadsFromItsTail() {
        try (ClfsLog log = ClfsLog.create(dir, LogKind.MULTIPLEXED, true, SMALL)) {
            LogStream a = log.stream("a");
            // 1023 forced records of 408 bytes: one 512-byte block each, filling the container exactly.
            for (int i = 0; i < 1023; i++) {
                a.appendForced(ByteBuffer.wrap(new byte[408]));
            }
            LogStream b = log.stream("b");
            assertThat(b.baseLsn()).isEqualTo(Lsn.of(1, 512 << 10));
            try (ReadContext ctx = b.readFromTail(RecordFilter.ALL)) {
                assertThat(ctx.next()).isNull();
            }
            long first = b.appendForced(text("b1"));
            try (ReadContext ctx = b.readFromTail(RecordFilter.ALL)) {
                assertThat(ctx.next().lsn()).isEqualTo(first);
            }
            try (ArchiveScan scan = log.archiveScan()) {
                assertThat(scan.ranges()).isNotEmpty();
            }
        }
    }

    @Test
    void aRecordInTheLastSectorOfAContainerIsReadFromTheTail() {
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, true, SMALL)) {
            LogStream s = log.stream();
            // 1022 forced 408-byte records fill all but the last sector; the next one lands in it.
            for (int i = 0; i < 1022; i++) {
                s.appendForced(ByteBuffer.wrap(new byte[408]));
            }
            long last = s.appendForced(text("in the last sector"));
            assertThat(Lsn.offset(last)).isGreaterThan((512 << 10) - 512);
            s.advanceBase(last);
            s.setArchiveTail(last);
            try (ReadContext ctx = s.readFromTail(RecordFilter.ALL)) {
                assertThat(ctx.next().lsn()).isEqualTo(last);
            }
        }
    }

    @Test
    void secondWriterIsRefused() {
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, true, SMALL)) {
            assertThatThrownBy(() -> ClfsLog.open(dir)).isInstanceOf(LogLockedException.class);
            try (ClfsLog reader = ClfsLog.openReadOnly(dir)) {
                long lsn = log.stream().appendForced(text("x"));
                assertThat(text(reader.stream().read(lsn))).isEqualTo("x");
            }
        }
    }

    @Test
    void multiplexedStreamsShareContainers() {
        try (ClfsLog log = ClfsLog.create(dir, LogKind.MULTIPLEXED, false, SMALL)) {
            long a = log.stream("a").append(text("a1"));
            long b = log.stream("b").append(text("b1"));
            log.stream("a").append(text("a2"));
            log.flush();
            assertThat(Lsn.container(a)).isEqualTo(Lsn.container(b));
        }
        try (ClfsLog log = ClfsLog.open(dir)) {
            ReadContext ctx = log.stream("a").readFromTail(RecordFilter.ALL);
            assertThat(text(ctx.next())).isEqualTo("a1");
            assertThat(text(ctx.next())).isEqualTo("a2");
            assertThat(ctx.next()).isNull();
        }
    }

    /**
     * The writer keeps the metadata copy it wrote last and skips decoding it while it is on disk
     * unchanged. A change behind its back is read: an archiver's newer copy, or damage to its own.
     */
    @Test
    void writerReadsMetadataChangedBehindItsBack() throws Exception {
        long first;
        long second;
        long third;
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, true, SMALL)) {
            LogStream s = log.stream();
            first = s.append(text("first"));
            second = s.append(text("second"));
            third = s.append(text("third"));
            log.flush();
            s.advanceBase(first);
            try (ClfsLog archiver = ClfsLog.openReadOnly(dir)) {
                archiver.stream().setArchiveTail(second);
            }
            s.advanceBase(second); // merges the archiver's newer copy
            assertThat(s.archiveTail()).isEqualTo(second);

            // Damage the copy the writer wrote last: its next write starts from the other one.
            Metadata newest = new MetadataStore(FileIO.real(), dir).readNewest();
            long slot = (newest.generation() & 1) * Layout.METADATA_SLOT_SIZE;
            try (FileChannel ch = FileChannel.open(dir.resolve(MetadataStore.FILE), StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[]{(byte) 0xFF}), slot + MetadataLayout.HEADER_SIZE - 1);
            }
            s.moveTails(third, third);
        }
        assertThat(LogVerifier.verify(dir).faults()).isEmpty();
        try (ClfsLog log = ClfsLog.openReadOnly(dir)) {
            assertThat(log.stream().baseLsn()).isEqualTo(third);
            assertThat(log.stream().archiveTail()).isEqualTo(third);
            assertThat(text(log.stream().read(third))).isEqualTo("third");
        }
    }
}

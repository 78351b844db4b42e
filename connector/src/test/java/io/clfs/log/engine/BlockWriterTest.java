package io.clfs.log.engine;

import io.clfs.log.LogPolicy;
import io.clfs.log.Lsn;
import io.clfs.log.format.BlockHeader;
import io.clfs.log.format.Checksum;
import io.clfs.log.format.Layout;
import io.clfs.log.format.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BlockWriterTest {
    private static final LogPolicy SMALL = RecoveredWriter.SMALL;

    @TempDir
    Path dir;
    private LogCore core;
    private BlockWriter writer;

    @BeforeEach
    void openRecoveredWriter() {
        core = RecoveredWriter.open(dir);
        writer = new BlockWriter(core);
    }

    @AfterEach
    void close() {
        core.closeFiles();
    }

    private static ByteBuffer[] parts(String... texts) {
        ByteBuffer[] out = new ByteBuffer[texts.length];
        for (int i = 0; i < texts.length; i++) {
            out[i] = ByteBuffer.wrap(texts[i].getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Frames one record of {@code payload} bytes from {@code texts}; returns its LSN. */
    private long write(long previous, String... texts) {
        int length = 0;
        for (String t : texts) {
            length += t.length();
        }
        long space = Layout.recordSpace(length);
        assertThat(writer.ensureRoom(space)).isTrue();
        long lsn = writer.nextLsn();
        writer.writeRecord(0, RecordHeader.TYPE_DATA, previous, Lsn.INVALID, parts(texts), length, space);
        return lsn;
    }

    private List<BlockWriter.SealedBlock> sealAll() {
        writer.sealIfOpen();
        return writer.takeSealed(new ArrayList<>());
    }

    @Test
    void framesRecordsAndSealsTheBlockPaddedToTheSector() {
        long start = core.writePosition;
        long sequence = core.sequence;

        long first = write(Lsn.INVALID, "hello", " world");
        long second = write(first, "x");
        List<BlockWriter.SealedBlock> sealed = sealAll();

        assertThat(first).isEqualTo(start + Layout.BLOCK_HEADER_SIZE);
        assertThat(second).isEqualTo(first + Layout.recordSpace(11));
        assertThat(sealed).hasSize(1);
        ByteBuffer b = sealed.get(0).buffer();
        int data = Layout.BLOCK_HEADER_SIZE + (int) Layout.recordSpace(11) + (int) Layout.recordSpace(1);
        assertThat(sealed.get(0).fileOffset()).isEqualTo(Lsn.offset(start));
        assertThat(b.remaining()).isEqualTo(Layout.SECTOR);
        assertThat(BlockHeader.blockLength(b, 0)).isEqualTo(Layout.SECTOR);
        assertThat(BlockHeader.dataLength(b, 0)).isEqualTo(data);
        assertThat(BlockHeader.container(b, 0)).isEqualTo(Lsn.container(start));
        assertThat(BlockHeader.recordCount(b, 0)).isEqualTo(2);
        assertThat(BlockHeader.sequence(b, 0)).isEqualTo(sequence + 1);
        assertThat(BlockHeader.epoch(b, 0)).isEqualTo(core.epoch);
        assertThat(BlockHeader.checkCrc(b, 0, new Checksum())).isNull();
        for (int p = data; p < Layout.SECTOR; p++) {
            assertThat(b.get(p)).as("padding byte %d", p).isZero();
        }
        int at = Layout.BLOCK_HEADER_SIZE;
        assertThat(RecordHeader.length(b, at)).isEqualTo(Layout.RECORD_HEADER_SIZE + 11);
        assertThat(RecordHeader.type(b, at)).isEqualTo(RecordHeader.TYPE_DATA);
        assertThat(RecordHeader.offsetInBlock(b, at)).isEqualTo(at);
        assertThat(RecordHeader.previous(b, at)).isEqualTo(Lsn.INVALID);
        assertThat(RecordHeader.check(b, 0, at, data, Lsn.container(start), new Checksum())).isNull();
        int next = at + (int) Layout.recordSpace(11);
        assertThat(RecordHeader.previous(b, next)).isEqualTo(first);
        assertThat(core.writePosition).isEqualTo(start + Layout.SECTOR);
        assertThat(core.sequence).isEqualTo(sequence + 1);
    }

    @Test
    void aWrittenBlockIsOneTheReaderAcceptsInTheChain() throws IOException {
        long start = core.writePosition;
        long lsn = write(Lsn.INVALID, "payload");
        for (BlockWriter.SealedBlock s : sealAll()) {
            s.handle().write(s.buffer(), s.fileOffset());
        }

        BlockReader reader = new BlockReader(core.files, core.meta);
        reader.startChain(core.meta.checkpoint());
        assertThat(reader.next(core.epoch)).isTrue();
        assertThat(reader.position()).isEqualTo(start);
        int at = reader.firstRecord();
        reader.checkRecord(at);
        assertThat(reader.position() + at).isEqualTo(lsn);
        byte[] payload = new byte[7];
        reader.buffer().get(at + Layout.RECORD_HEADER_SIZE, payload);
        assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo("payload");
        assertThat(reader.nextRecord(at)).isEqualTo(-1);
    }

    @Test
    void theFillerCoversTheRestOfTheContainerWithAnEmptyBlock() {
        long start = core.writePosition;

        writer.sealFiller();
        List<BlockWriter.SealedBlock> sealed = writer.takeSealed(new ArrayList<>());

        long room = SMALL.containerSize() - Lsn.offset(start);
        ByteBuffer b = sealed.get(0).buffer();
        assertThat(b.remaining()).isEqualTo((int) room);
        assertThat(BlockHeader.blockLength(b, 0)).isEqualTo((int) room);
        assertThat(BlockHeader.dataLength(b, 0)).isEqualTo(Layout.BLOCK_HEADER_SIZE);
        assertThat(BlockHeader.recordCount(b, 0)).isZero();
        assertThat(BlockHeader.checkCrc(b, 0, new Checksum())).isNull();
        assertThat(Lsn.offset(core.writePosition)).isEqualTo(SMALL.containerSize());
        assertThat(sealed.get(0).pooled()).isFalse();
    }

    @Test
    void noRoomForABlockPastTheContainerEnd() {
        long bigRecord = SMALL.containerSize() - Lsn.offset(core.writePosition);

        assertThat(writer.ensureRoom(bigRecord)).isFalse();
        assertThat(writer.hasOpenBlock()).isFalse();
    }
}

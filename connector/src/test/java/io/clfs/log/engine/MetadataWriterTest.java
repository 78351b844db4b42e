package io.clfs.log.engine;

import io.clfs.log.ClfsLog;
import io.clfs.log.Lsn;
import io.clfs.log.OwnerFencedException;
import io.clfs.log.io.FileIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetadataWriterTest {
    @TempDir
    Path dir;
    private LogCore core;
    private MetadataWriter writer;
    private StreamState stream;

    @BeforeEach
    void openRecoveredWriter() {
        core = RecoveredWriter.open(dir);
        writer = new MetadataWriter(core);
        stream = core.stream(ClfsLog.DEFAULT_STREAM);
    }

    @AfterEach
    void close() {
        core.closeFiles();
    }

    private Metadata onDisk(long generation) {
        return new MetadataStore(FileIO.real(), dir).readSlot((int) (generation & 1)).metadata();
    }

    @Test
    void eachWriteGoesToTheOtherSlotAsTheNextGeneration() {
        long before = core.meta.generation();

        writer.write(UnaryOperator.identity());
        long first = core.meta.generation();
        writer.write(UnaryOperator.identity());
        long second = core.meta.generation();

        assertThat(first).isEqualTo(before + 1);
        assertThat(second).isEqualTo(before + 2);
        assertThat(onDisk(first).generation()).isEqualTo(first);
        assertThat(onDisk(second).generation()).isEqualTo(second);
        assertThat(first & 1).isNotEqualTo(second & 1);
    }

    @Test
    void aPlainWriteKeepsTheCheckpointAndACheckpointWriteMovesIt() {
        Metadata.Checkpoint old = core.meta.checkpoint();
        long end = Lsn.of(1, 8192);
        core.writePosition = end;
        core.durableEnd = end;
        core.sequence = 7;
        core.lastBlockEpoch = core.epoch;
        stream.lastLsn = Lsn.of(1, 4096);
        stream.lastDataLsn = Lsn.of(1, 4096);

        writer.write(UnaryOperator.identity());
        Metadata plain = onDisk(core.meta.generation());
        writer.writeCheckpoint(UnaryOperator.identity());
        Metadata checkpointed = onDisk(core.meta.generation());

        assertThat(plain.checkpoint()).isEqualTo(old);
        assertThat(plain.vouchedEnd()).isEqualTo(end);
        assertThat(plain.stream(0).lastLsn()).as("last LSNs are stored as of the checkpoint").isEqualTo(Lsn.INVALID);
        assertThat(checkpointed.checkpoint()).isEqualTo(new Metadata.Checkpoint(end, 7, core.epoch));
        assertThat(checkpointed.stream(0).lastLsn()).isEqualTo(Lsn.of(1, 4096));
        assertThat(checkpointed.stream(0).lastDataLsn()).isEqualTo(Lsn.of(1, 4096));
    }

    @Test
    void takesArchiveTailsAnArchiverMovedOnDisk() {
        long moved = Lsn.of(1, 1024);
        core.store.update(d -> d.withStream(0, e -> new Metadata.StreamEntry(e.id(), e.name(), e.base(), moved,
                e.restartLsn(), e.lastLsn(), e.lastDataLsn())));

        writer.write(UnaryOperator.identity());

        assertThat(stream.archiveTail).isEqualTo(moved);
        assertThat(onDisk(core.meta.generation()).stream(0).archiveTail()).isEqualTo(moved);
    }

    @Test
    void aNewerOwnerOnDiskFencesThisWriter() {
        core.store.update(d -> d.withOwnerEpoch(d.ownerEpoch() + 1));

        assertThatThrownBy(() -> writer.write(UnaryOperator.identity())).isInstanceOf(OwnerFencedException.class)
                .hasMessageContaining("fenced");
        assertThat(core.failed()).isTrue();
    }
}

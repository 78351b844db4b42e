package io.clfs.log;

import io.clfs.log.format.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LogVerifierTest {
    private static final LogPolicy SMALL = LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096)
            .withContainers(2, 4);

    @TempDir
    Path dir;

    private long writeSome() {
        long middle;
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, true, SMALL)) {
            LogStream s = log.stream();
            middle = 0;
            for (int i = 0; i < 300; i++) {
                long lsn = s.append(new byte[300]);
                if (i == 150) {
                    middle = lsn;
                }
                if (i % 10 == 0) {
                    s.flush(lsn);
                }
            }
        }
        return middle;
    }

    @Test
    void aCleanLogHasNoFault() {
        writeSome();
        LogVerifier.VerifyReport report = LogVerifier.verify(dir);
        assertThat(report.faults()).isEmpty();
        assertThat(report.records()).isEqualTo(300);
    }

    @Test
    void aCleanRestartChainHasNoFault() {
        try (ClfsLog log = ClfsLog.create(dir, LogKind.MULTIPLEXED, true, SMALL)) {
            for (int i = 0; i < 60; i++) {
                LogStream s = log.stream(i % 2 == 0 ? "a" : "b");
                s.append(new byte[200]);
                if (i % 7 == 0) {
                    long restart = s.writeRestartArea(ByteBuffer.wrap(new byte[]{(byte) i}));
                    if (i == 28) {
                        s.advanceBase(restart);
                    }
                }
            }
        }
        assertThat(LogVerifier.verify(dir).faults()).isEmpty();
    }

    /** A restart area whose previous link points at itself: the sink's chain walk once looped on it. */
    @Test
    void aRestartAreaLinkedToItselfIsAFaultAtItsRecord() {
        WrittenLog w = WrittenLog.write(dir.resolve("live"), dir.resolve("crashed"), 40);
        LogBytes bytes = new LogBytes(w.dir);
        long restart = w.lsns.get(w.firstAfterCheckpoint - 1);
        bytes.craftRecord(restart, r -> r.putLong(RecordHeader.PREVIOUS_OFFSET, restart));
        assertThat(LogVerifier.verify(w.dir).faults()).singleElement().satisfies(f -> {
            assertThat(f.file()).isEqualTo(bytes.container(restart));
            assertThat(f.offset()).isEqualTo(Lsn.offset(restart));
            assertThat(f.reason()).contains("previous link", "to point below it");
        });
    }

    @Test
    void anUndoNextLinkAboveItsRecordIsAFault() {
        WrittenLog w = WrittenLog.write(dir.resolve("live"), dir.resolve("crashed"), 40);
        LogBytes bytes = new LogBytes(w.dir);
        long record = w.lsns.get(w.firstReadable + 3);
        bytes.craftRecord(record, r -> r.putLong(RecordHeader.UNDO_NEXT_OFFSET, w.lsns.get(w.firstReadable + 4)));
        assertThat(LogVerifier.verify(w.dir).faults()).singleElement().satisfies(f -> {
            assertThat(f.file()).isEqualTo(bytes.container(record));
            assertThat(f.offset()).isEqualTo(Lsn.offset(record));
            assertThat(f.reason()).contains("undo-next link");
        });
    }

    /** A restart area linked (downwards) to a data record: the chain is broken where the link is. */
    @Test
    void aRestartChainLeadingToADataRecordIsAFault() {
        WrittenLog w = WrittenLog.write(dir.resolve("live"), dir.resolve("crashed"), 40);
        LogBytes bytes = new LogBytes(w.dir);
        long restart = w.lsns.get(w.firstAfterCheckpoint - 1);
        long data = w.lsns.get(w.firstReadable + 5);
        bytes.craftRecord(restart, r -> r.putLong(RecordHeader.PREVIOUS_OFFSET, data));
        assertThat(LogVerifier.verify(w.dir).faults()).singleElement().satisfies(f -> {
            assertThat(f.file()).isEqualTo(bytes.container(restart));
            assertThat(f.offset()).isEqualTo(Lsn.offset(restart));
            assertThat(f.reason()).contains("restart record " + Lsn.toString(restart), Lsn.toString(data));
        });
    }

    @Test
    void aFlippedBitIsLocatedByFileAndOffset() throws IOException {
        long lsn = writeSome();
        Path container = dir.resolve("container-000000.clfs");
        long offset = Lsn.offset(lsn) + 100;
        try (RandomAccessFile f = new RandomAccessFile(container.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x10);
        }
        LogVerifier.VerifyReport report = LogVerifier.verify(dir);
        assertThat(report.clean()).isFalse();
        assertThat(report.faults().get(0).file()).isEqualTo(container);
        assertThat(report.faults().get(0).offset()).isLessThanOrEqualTo(offset).isGreaterThan(offset - 4096);
        assertThat(report.faults().get(0).reason()).contains("checksum");
    }
}

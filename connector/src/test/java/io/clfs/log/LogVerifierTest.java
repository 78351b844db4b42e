package io.clfs.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
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

package io.clfs.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A writer holds few files open however many containers it went through: many logs fit a process's file limit. */
class OpenFilesTest {
    private static final LogPolicy SMALL = LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096)
            .withContainers(2, 16);

    @TempDir
    Path dir;

    @Test
    void aWriterThatSwitchedContainersHoldsAtMostThreeFiles() throws IOException {
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, false, SMALL)) {
            long first = Lsn.NULL;
            for (int i = 0; i < 4000; i++) {
                long lsn = log.stream().append(new byte[1000]);
                first = i == 0 ? lsn : first;
                if (i % 100 == 99) {
                    log.flush();
                }
            }
            log.flush();
            assertThat(log.info().containers()).hasSizeGreaterThan(6);
            assertThat(openFilesIn(dir)).as("after switching containers").hasSizeLessThanOrEqualTo(3);

            // a reader of the writer's log opens an old container; the next flush closes it again
            assertThat(log.stream().read(first).bytes()).hasSize(1000);
            log.stream().append(new byte[1000]);
            log.flush();
            assertThat(openFilesIn(dir)).as("after reading an old container").hasSizeLessThanOrEqualTo(3);
        }
        assertThat(openFilesIn(dir)).isEmpty();
    }

    /** The files under {@code dir} that this process has open, from /proc/self/fd. */
    static List<Path> openFilesIn(Path dir) throws IOException {
        Path real = dir.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.flatMap(fd -> {
                try {
                    return Stream.of(Files.readSymbolicLink(fd));
                } catch (IOException e) {
                    return Stream.empty(); // closed since it was listed
                }
            }).filter(target -> target.startsWith(real)).toList();
        }
    }
}

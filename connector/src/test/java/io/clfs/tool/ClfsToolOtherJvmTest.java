package io.clfs.tool;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.clfs.tool.ClfsToolTest.createSmall;
import static org.assertj.core.api.Assertions.assertThat;

/** The tool as a separate process beside a writer held open by this JVM: the file lock is per process. */
class ClfsToolOtherJvmTest {
    @TempDir
    Path tmp;

    private record Finished(int exit, List<String> out, List<String> err) {
    }

    /** Runs {@code clfs args} in a new JVM with {@code stdin} as its input, and waits for it to end. */
    private Finished clfs(String stdin, String... args) throws IOException, InterruptedException {
        Path in = Files.writeString(tmp.resolve("stdin"), stdin);
        Path out = tmp.resolve("stdout");
        Path err = tmp.resolve("stderr");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ClfsTool.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("clfs " + String.join(" ", args) + " did not end within 60 s");
        }
        return new Finished(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                Files.readAllLines(err, StandardCharsets.UTF_8));
    }

    @Test
    void aSecondWriterInAnotherJvmIsRefusedWithOneLineNamingTheLock() throws Exception {
        String log = tmp.resolve("log").toString();
        createSmall(log);
        try (ClfsLog writer = ClfsLog.open(Path.of(log))) {
            Finished r = clfs("refused\n", "append", log);
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).containsExactly("clfs append: log " + log + " is held by another writer (lock file"
                    + " clfs.lock); open it read-only or stop that writer");
            assertThat(writer.stream().lastLsn()).isEqualTo(Lsn.INVALID);
        }
    }

    @Test
    void setArchiveTailFromAnotherJvmWorksWhileTheWriterIsOpen() throws Exception {
        String log = tmp.resolve("log").toString();
        createSmall(log, "--archive");
        long second;
        try (ClfsLog writer = ClfsLog.open(Path.of(log))) {
            LogStream s = writer.stream();
            s.append("first".getBytes(StandardCharsets.UTF_8));
            second = s.append("second".getBytes(StandardCharsets.UTF_8));
            s.append("third".getBytes(StandardCharsets.UTF_8));
            writer.flush();

            Finished r = clfs("", "set-archive-tail", log, Lsn.toString(second));
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).containsExactly("stream default", "baseLsn " + ClfsToolTest.FIRST_BLOCK,
                    "archiveTail " + Lsn.toString(second), "restartLsn none");

            // The writer's next metadata write keeps the archiver's tail rather than its own older one.
            s.advanceBase(second);
            assertThat(s.archiveTail()).isEqualTo(second);
        }
        try (ClfsLog reader = ClfsLog.openReadOnly(Path.of(log))) {
            assertThat(reader.stream().archiveTail()).isEqualTo(second);
        }
    }
}

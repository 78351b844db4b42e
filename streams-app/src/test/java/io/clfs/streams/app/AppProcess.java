package io.clfs.streams.app;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The application in its own JVM, started as bin/clfs-streams would start it, so that a test can
 * kill it outright (SIGKILL: no shutdown hook, no flush, no commit) or stop it with SIGTERM.
 */
final class AppProcess implements AutoCloseable {
    private final Process process;

    private AppProcess(Process process) {
        this.process = process;
    }

    static AppProcess start(Path config, Path output) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx384m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                "-Dlog4j2.configurationFile=" + Path.of("target/test-classes/it-app-log4j2.properties").toAbsolutePath(),
                ClfsStreamsApp.class.getName(), config.toString()));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        return new AppProcess(pb.start());
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, as a crash or an OOM killer would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then the exit code; fails if the process outlives {@code deadline}. */
    int terminate(Duration deadline) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the application did not stop within " + deadline + " of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}

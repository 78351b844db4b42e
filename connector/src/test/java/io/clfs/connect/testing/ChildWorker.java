package io.clfs.connect.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A distributed Connect worker in a JVM of its own, started from this JVM's class path in a
 * working directory of its own: a relative {@code clfs.log.dir} then names another directory
 * there than in this JVM, as it would on another host. Its output goes to {@code worker.log} in
 * that directory. Closing it ends the process it started, and only that one.
 */
public final class ChildWorker implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final ConnectRest rest;
    private final int port;

    private ChildWorker(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.rest = new ConnectRest(() -> "http://localhost:" + port);
    }

    /** Starts a worker with {@code props} (the cluster's group, topics and converters) in {@code workDir}. */
    public static ChildWorker start(Path workDir, Map<String, String> props) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Properties p = new Properties();
        p.putAll(props);
        p.setProperty("listeners", "http://localhost:" + port);
        Path file = workDir.resolve("worker.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "child Connect worker");
        }
        Path log = workDir.resolve("worker.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"),
                "org.apache.kafka.connect.cli.ConnectDistributed", file.toString()))
                .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ChildWorker(process, log, port);
    }

    /** Waits until the worker's REST API answers (it has joined the group and read the configs). */
    public void awaitUp(Duration timeout) {
        Journals.await(timeout, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("the child worker exited with " + process.exitValue() + "; see " + log);
            }
            try {
                rest.call("GET", "/connectors", null);
                return true;
            } catch (IllegalStateException notYet) {
                return false;
            }
        }, () -> "the child worker did not come up; see " + log);
    }

    /** Connect's REST API on this worker. */
    public ConnectRest rest() {
        return rest;
    }

    public Path log() {
        return log;
    }

    /** The worker's id in Connect's status: the host and port of its REST listener. */
    public String workerId() {
        return "localhost:" + port;
    }

    /** The worker JVM's process id (written into the owner file of each log it holds). */
    public long pid() {
        return process.pid();
    }

    /**
     * Where the worker's INFO and WARN lines go ({@link #log} has errors only): the file of the test
     * log4j2 configuration it shares with this JVM, under its own working directory.
     */
    public Path infoLog() {
        return log.resolveSibling("target/test-logs/tests.log");
    }

    /** SIGKILL: the worker dies at once, with no shutdown of its tasks. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGSTOP: the worker stalls as in a long GC pause, keeping its file locks and, until its session expires, its tasks. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: a stalled worker runs again, still believing it owns what it owned. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " exited with " + exit);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}

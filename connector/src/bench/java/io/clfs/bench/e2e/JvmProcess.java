package io.clfs.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka JVM of its own (broker, worker or tool), started on the Kafka class path in its own
 * session ({@code setsid}), so that Ctrl-C reaches only the harness, which then stops the JVMs in
 * order. Its pid goes to {@code <work>/pids/<name>.pid} for {@code bin/bench}'s trap, in case the
 * harness itself dies; its output goes to {@code <work>/logs/<name>.out}.
 */
final class JvmProcess {
    private final String name;
    private final Process process;
    private final Path output;
    private final Path pidFile;

    private JvmProcess(String name, Process process, Path output, Path pidFile) {
        this.name = name;
        this.process = process;
        this.output = output;
        this.pidFile = pidFile;
    }

    static JvmProcess start(BenchOptions o, String name, String heap, String mainClass, String... args)
            throws IOException {
        return start(o, name, heap, List.of(), mainClass, args);
    }

    /** @param jvmFlags appended to the JVM's own flags (after heap, GC and logging) */
    static JvmProcess start(BenchOptions o, String name, String heap, List<String> jvmFlags, String mainClass,
                            String... args) throws IOException {
        Path logs = Files.createDirectories(o.workDir().resolve("logs"));
        Path pids = Files.createDirectories(o.workDir().resolve("pids"));
        List<String> command = new ArrayList<>(List.of("setsid",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + o.log4jConfig().toUri(),
                "-Dbench.log.file=" + logs.resolve(name + ".log")));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", Files.readString(o.kafkaClassPath()).strip(), mainClass));
        command.addAll(List.of(args));
        Path output = logs.resolve(name + ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(output.toFile())).start();
        Path pidFile = pids.resolve(name + ".pid");
        Files.writeString(pidFile, Long.toString(p.pid()));
        return new JvmProcess(name, p, output, pidFile);
    }

    long pid() {
        return process.pid();
    }

    /** Runs a tool to its end and returns its output; a non-zero exit is an error that shows the output. */
    static String run(BenchOptions o, String name, long timeoutSeconds, String mainClass, String... args)
            throws IOException, InterruptedException {
        JvmProcess tool = start(o, name, "512m", mainClass, args);
        try {
            if (!tool.process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " did not finish within " + timeoutSeconds + " s; output:\n"
                        + tool.output());
            }
            if (tool.process.exitValue() != 0) {
                throw new IllegalStateException(name + " exited with " + tool.process.exitValue() + "; output:\n"
                        + tool.output());
            }
            return tool.output();
        } finally {
            tool.stop();
        }
    }

    String name() {
        return name;
    }

    boolean alive() {
        return process.isAlive();
    }

    String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    /** SIGTERM, then SIGKILL after 30 s: Kafka's JVMs shut down cleanly on SIGTERM. */
    void stop() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // bin/bench's trap finds a dead pid and skips it
        }
    }
}

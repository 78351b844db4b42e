package io.clfs.log.io;

import io.clfs.tool.ClfsTool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A writer of a log in another process: {@code clfs append} in a JVM of its own, fed line by line
 * through a pipe, holding the log (and its lock) until its input ends. Closing it ends the process
 * it started, and only that one.
 */
public final class ForeignWriter implements AutoCloseable {
    private static final long WAIT_SECONDS = 60;

    private final Process process;
    private final OutputStream in;
    private final BufferedReader out;
    private final Path err;

    private ForeignWriter(Process process, Path err) {
        this.process = process;
        this.in = process.getOutputStream();
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.err = err;
    }

    /** Starts the writer of the log in {@code log}; it holds the log once {@link #append} has returned. */
    public static ForeignWriter start(Path log, Path work) throws IOException {
        return run(work, ClfsTool.class, "append", "--flush-every", "1", log.toString());
    }

    /**
     * Starts a process that takes the locks of {@code lockFiles}, as a writer stopped in the middle
     * of a metadata update would hold them, until its input ends; it holds them once {@link #append}
     * (of any line) has returned.
     */
    public static ForeignWriter holdingLocks(Path work, Path... lockFiles) throws IOException {
        return run(work, ForeignWriter.class, Arrays.stream(lockFiles).map(Path::toString).toArray(String[]::new));
    }

    private static ForeignWriter run(Path work, Class<?> main, String... args) throws IOException {
        Path err = Files.createTempFile(work, "foreign-writer", ".err");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ForeignWriter(new ProcessBuilder(command).redirectError(err.toFile()).start(), err);
    }

    /** The lock holder of {@link #holdingLocks}: locks each file, answers each input line with "locked". */
    public static void main(String[] lockFiles) throws IOException {
        List<LockHandle> held = new ArrayList<>();
        for (String f : lockFiles) {
            held.add(FileIO.real().lock(Path.of(f), true));
        }
        BufferedReader lines = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (lines.readLine() != null) {
            System.out.println("locked");
            System.out.flush();
        }
        for (LockHandle h : held) {
            h.close();
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Appends one record and returns its LSN as printed once durable, or null when the writer ended instead. */
    public String append(String line) throws Exception {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new AssertionError("the foreign writer printed no LSN within " + WAIT_SECONDS + " s; " + errors(), e);
        }
    }

    /** Waits for the writer to end; returns its exit code. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("the foreign writer did not end within " + WAIT_SECONDS + " s");
        }
        return process.exitValue();
    }

    /** What the writer printed on standard error. */
    public String errors() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        try {
            in.close();
        } catch (IOException alreadyEnded) {
            // the process ended first
        }
        if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}

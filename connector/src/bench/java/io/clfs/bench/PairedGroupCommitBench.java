package io.clfs.bench;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogKind;
import io.clfs.log.LogStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Group commit with explicit thread groups, paired: one operation runs three phases, with 1, 2
 * and 4 worker threads (the first rotates from round to round), in which every worker does
 * {@link #PER_THREAD} forced appends of 100 bytes to one shared log. Each phase is timed on its
 * own into {@link PhaseTimings}.
 *
 * <p>Why besides {@link GroupCommitBench}: there the thread counts run in separate trials, and on a
 * shared machine the fsync latency moves by several times between trials, which swamps the ratio
 * to one thread. Phases milliseconds apart see the same disk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 8, time = 4)
public class PairedGroupCommitBench {
    static final int[] THREADS = {1, 2, 4};
    /** Enough forces per phase that the ragged start and end of a phase hardly count. */
    static final int PER_THREAD = 64;

    private Path dir;
    private ClfsLog log;
    private LogStream stream;
    private TailMover tails;
    private ExecutorService workers;
    private int round;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = TempDirs.create("clfs-bench-paired-group-");
        log = ClfsLog.create(dir.resolve("log"), LogKind.DEDICATED, true, EngineSink.POLICY);
        stream = log.stream();
        tails = new TailMover(stream);
        workers = Executors.newFixedThreadPool(4);
    }

    @Benchmark
    public void round(PhaseTimings timings) throws Exception {
        for (int i = 0; i < THREADS.length; i++) {
            int threads = THREADS[(round + i) % THREADS.length];
            timings.add(threads, phase(threads), (long) threads * PER_THREAD);
        }
        round++;
    }

    /** Runs {@code threads} workers to completion and returns the wall time. */
    private long phase(int threads) throws Exception {
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            running.add(workers.submit(this::appendForcedMany));
        }
        for (Future<?> f : running) {
            f.get();
        }
        return System.nanoTime() - start;
    }

    private void appendForcedMany() {
        ByteBuffer record = ByteBuffer.wrap(new byte[GroupCommitBench.RECORD_SIZE]);
        for (int n = 0; n < PER_THREAD; n++) {
            tails.flushed(stream.appendForced(record));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try {
            workers.shutdownNow();
            log.close();
        } finally {
            TempDirs.delete(dir);
        }
    }
}

package io.clfs.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Durable append, engine against raw files, paired. One operation is one round: a batch of
 * {@code batch} records appended and flushed on each of the three targets in turn (the first
 * target rotates from round to round), each batch timed on its own into {@link BatchTimings}.
 *
 * <p>Why paired: on a machine shared with other builds, fsync latency swings by several times
 * within seconds, so targets measured in separate trials (even adjacent ones) are not comparable;
 * batches of all three targets milliseconds apart see the same load. JMH's primary score (rounds
 * per second) is not the figure of interest; the per-target records per second are.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 8, time = 4)
public class DurableAppendBench {
    static final int ENGINE = 0;
    static final int RAW_PREALLOCATED = 1;
    static final int RAW_FRESH = 2;

    @Param({"100", "1024"})
    int recordSize;

    @Param({"1", "64", "512", "4096"})
    int batch;

    private Path dir;
    private final RecordSink[] sinks = new RecordSink[3];
    private ByteBuffer record;
    private int round;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = TempDirs.create("clfs-bench-append-");
        byte[] bytes = new byte[recordSize];
        new Random(42).nextBytes(bytes); // incompressible, in case the storage compresses
        record = ByteBuffer.wrap(bytes);
        sinks[ENGINE] = new EngineSink(dir.resolve("log"));
        sinks[RAW_PREALLOCATED] = new RawFileSink(dir.resolve("raw-preallocated"), true, recordSize * batch);
        sinks[RAW_FRESH] = new RawFileSink(dir.resolve("raw-fresh"), false, recordSize * batch);
    }

    @Benchmark
    public void round(BatchTimings timings) throws IOException {
        for (int i = 0; i < sinks.length; i++) {
            int target = (round + i) % sinks.length;
            timings.add(target, timedBatch(sinks[target]));
        }
        timings.batches++;
        round++;
    }

    private long timedBatch(RecordSink sink) throws IOException {
        long start = System.nanoTime();
        for (int n = 0; n < batch; n++) {
            sink.append(record);
        }
        sink.flush();
        return System.nanoTime() - start;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try {
            for (RecordSink s : sinks) {
                if (s != null) {
                    s.close();
                }
            }
        } finally {
            TempDirs.delete(dir);
        }
    }
}

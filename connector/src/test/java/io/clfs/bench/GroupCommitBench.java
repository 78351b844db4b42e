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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Group commit: every thread appends one 100-byte record and waits until it is durable
 * ({@code appendForced}). JMH's score is the total over all threads; the threads share one log, so
 * more threads can only help if concurrent flushers share a {@code force}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class GroupCommitBench {
    static final int RECORD_SIZE = 100;

    /** One log shared by all threads of a trial. */
    @State(Scope.Benchmark)
    public static class SharedLog {
        private Path dir;
        private ClfsLog log;
        LogStream stream;
        TailMover tails;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = TempDirs.create("clfs-bench-group-");
            log = ClfsLog.create(dir.resolve("log"), LogKind.DEDICATED, true, EngineSink.POLICY);
            stream = log.stream();
            tails = new TailMover(stream);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            try {
                log.close();
            } finally {
                TempDirs.delete(dir);
            }
        }
    }

    /** Each thread's own record buffer. */
    @State(Scope.Thread)
    public static class Record {
        final ByteBuffer bytes = ByteBuffer.wrap(new byte[RECORD_SIZE]);
    }

    /** The raw baseline for one thread: write one record and {@code force(false)}, into a preallocated file. */
    @State(Scope.Benchmark)
    public static class RawFile {
        private Path dir;
        RawFileSink sink;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = TempDirs.create("clfs-bench-group-raw-");
            sink = new RawFileSink(dir.resolve("raw"), true, RECORD_SIZE);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            try {
                sink.close();
            } finally {
                TempDirs.delete(dir);
            }
        }
    }

    @Benchmark
    @Threads(1)
    public long threads1(SharedLog log, Record r) {
        return appendForced(log, r);
    }

    @Benchmark
    @Threads(2)
    public long threads2(SharedLog log, Record r) {
        return appendForced(log, r);
    }

    @Benchmark
    @Threads(4)
    public long threads4(SharedLog log, Record r) {
        return appendForced(log, r);
    }

    @Benchmark
    @Threads(1)
    public void rawThreads1(RawFile raw, Record r) throws IOException {
        raw.sink.append(r.bytes);
        raw.sink.flush();
    }

    private static long appendForced(SharedLog log, Record r) {
        long lsn = log.stream.appendForced(r.bytes);
        log.tails.flushed(lsn);
        return lsn;
    }
}

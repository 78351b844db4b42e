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
 * more threads can only help if concurrent flushers share a {@code force}. {@link FlushCounts}
 * also reports how many records each force carried. The raw baseline for one record per force is
 * {@link DurableAppendBench} with {@code batch = 1}, measured paired there.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 6, time = 3)
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

    @Benchmark
    @Threads(1)
    public long threads1(SharedLog log, Record r, FlushCounts c) {
        return appendForced(log, r, c);
    }

    @Benchmark
    @Threads(2)
    public long threads2(SharedLog log, Record r, FlushCounts c) {
        return appendForced(log, r, c);
    }

    @Benchmark
    @Threads(4)
    public long threads4(SharedLog log, Record r, FlushCounts c) {
        return appendForced(log, r, c);
    }

    private static long appendForced(SharedLog log, Record r, FlushCounts c) {
        long lsn = log.stream.appendForced(r.bytes);
        log.tails.flushed(lsn);
        c.count(lsn);
        return lsn;
    }
}

package io.clfs.bench;

import io.clfs.log.ClfsLog;
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
import java.util.concurrent.TimeUnit;

/**
 * Recovery: the time {@link ClfsLog#open} takes on a 1 GiB crash image (see {@link RecoveryFixture}),
 * with the newest restart area near the end against none at all. Only the open is timed: restoring
 * the crash-time metadata and closing the log happen around each call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
public class RecoveryBench {
    @Param({"restartNearEnd", "noRestartArea"})
    String fixture;

    private RecoveryFixture image;
    private ClfsLog opened;

    @Setup(Level.Trial)
    public void build() throws IOException {
        image = RecoveryFixture.build(fixture.equals("restartNearEnd"));
    }

    @Setup(Level.Invocation)
    public void reset() throws IOException {
        image.reset();
    }

    @Benchmark
    public ClfsLog open() {
        opened = ClfsLog.open(image.dir());
        return opened;
    }

    @TearDown(Level.Invocation)
    public void closeLog() {
        if (opened != null) {
            opened.close();
            opened = null;
        }
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        if (image != null) {
            image.close();
        }
    }
}

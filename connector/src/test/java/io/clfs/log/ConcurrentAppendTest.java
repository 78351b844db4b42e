package io.clfs.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Appenders that each wait for durability share flushes; readers follow the writer concurrently. */
class ConcurrentAppendTest {
    private static final int THREADS = 4;
    private static final int PER_THREAD = 1500;

    @TempDir
    Path dir;

    private static ByteBuffer payload(int thread, int i) {
        ByteBuffer b = ByteBuffer.allocate(8 + (i % 300));
        b.putInt(0, thread).putInt(4, i);
        return b;
    }

    @Test
    void concurrentForcedAppendsAreAllDurableInOrderWhileReadersFollow() throws Exception {
        LogPolicy policy = LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(8192).withContainers(2, 64);
        Map<Long, Integer> acknowledged = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, true, policy)) {
            LogStream s = log.stream();
            AtomicBoolean writing = new AtomicBoolean(true);
            Future<Integer> reader = pool.submit(() -> followWhileWriting(s, writing));
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < PER_THREAD; i++) {
                        long lsn = s.appendForced(payload(thread, i));
                        assertThat(Lsn.less(lsn, s.durableEnd())).isTrue();
                        acknowledged.put(lsn, thread * PER_THREAD + i);
                    }
                    return null;
                }));
            }
            for (Future<?> w : writers) {
                w.get(2, TimeUnit.MINUTES);
            }
            writing.set(false);
            assertThat(reader.get(2, TimeUnit.MINUTES)).isEqualTo(THREADS * PER_THREAD);
        } finally {
            pool.shutdownNow();
        }
        assertThat(acknowledged).hasSize(THREADS * PER_THREAD);
        try (ClfsLog log = ClfsLog.open(dir)) {
            int[] nextPerThread = new int[THREADS];
            int count = 0;
            try (ReadContext ctx = log.stream().readFromTail(RecordFilter.DATA)) {
                for (LogRecord r = ctx.next(); r != null; r = ctx.next()) {
                    int thread = r.data().getInt(0);
                    int i = r.data().getInt(4);
                    assertThat(i).as("thread %d's records in its append order", thread).isEqualTo(nextPerThread[thread]++);
                    assertThat(acknowledged.get(r.lsn())).isEqualTo(thread * PER_THREAD + i);
                    count++;
                }
            }
            assertThat(count).isEqualTo(THREADS * PER_THREAD);
        }
    }

    /** Reads forward until the writers stop and everything durable has been read; returns the count. */
    private static int followWhileWriting(LogStream s, AtomicBoolean writing) {
        int count = 0;
        long last = Lsn.NULL;
        try (ReadContext ctx = s.readFromTail(RecordFilter.DATA)) {
            for (;;) {
                boolean more = writing.get();
                LogRecord r = ctx.next();
                if (r == null) {
                    if (!more) {
                        return count;
                    }
                    Thread.onSpinWait();
                    continue;
                }
                assertThat(Lsn.less(last, r.lsn())).isTrue();
                last = r.lsn();
                count++;
            }
        }
    }
}

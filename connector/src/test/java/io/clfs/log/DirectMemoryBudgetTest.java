package io.clfs.log;

import io.clfs.log.engine.BlockBufferPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The block buffers of many logs, each with an open block, stay within the process's direct-memory budget. */
class DirectMemoryBudgetTest {
    private static final long BUDGET = 2L << 20;
    private static final int LOGS = 100; // x a 64 KiB block each: 6.25 MiB without the budget

    @TempDir
    Path dir;

    @AfterEach
    void restoreTheDefault() {
        ClfsLog.setDirectMemoryBudget(BlockBufferPool.DEFAULT_BUDGET);
    }

    @Test
    void manyLogsWithAnOpenBlockStayWithinTheBudget() {
        ClfsLog.create(dir.resolve("warm-up"), LogKind.DEDICATED, false, LogPolicy.defaults()).close();
        ClfsLog.setDirectMemoryBudget(BUDGET);
        awaitCollected(); // buffers of logs that earlier tests left open or failed
        long before = directMemoryUsed();
        List<ClfsLog> logs = new ArrayList<>();
        try {
            for (int i = 0; i < LOGS; i++) {
                ClfsLog log = ClfsLog.create(dir.resolve("log-" + i), LogKind.DEDICATED, false, LogPolicy.defaults());
                logs.add(log);
                log.stream().append(("record-" + i).getBytes());
            }
            assertThat(directMemoryUsed() - before).isLessThanOrEqualTo(BUDGET + (1 << 20));
            assertThat(BlockBufferPool.shared().allocatedBytes()).isLessThanOrEqualTo(BUDGET);

            for (int i = 0; i < LOGS; i++) {
                ClfsLog log = logs.get(i);
                long lsn = log.stream().append(("second-" + i).getBytes());
                log.flush();
                assertThat(new String(log.stream().read(lsn).bytes())).isEqualTo("second-" + i);
            }
        } finally {
            logs.forEach(ClfsLog::close);
        }
        for (int i = 0; i < LOGS; i++) {
            try (ClfsLog log = ClfsLog.openReadOnly(dir.resolve("log-" + i))) {
                ReadContext ctx = log.stream().readFromTail(RecordFilter.DATA);
                assertThat(new String(ctx.next().bytes())).isEqualTo("record-" + i);
                assertThat(new String(ctx.next().bytes())).isEqualTo("second-" + i);
            }
        }
    }

    private static void awaitCollected() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (BlockBufferPool.shared().allocatedBytes() > BUDGET) {
            assertThat(System.nanoTime()).as("pool buffers collected within 30 s").isLessThan(deadline);
            System.gc();
            Thread.onSpinWait();
        }
    }

    private static long directMemoryUsed() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }
}

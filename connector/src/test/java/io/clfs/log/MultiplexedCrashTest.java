package io.clfs.log;

import io.clfs.log.io.SimulatedDisk;
import io.clfs.log.io.SimulatedDisk.Loss;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Power loss at every I/O call of a short workload on a multiplexed log. Three streams make each
 * metadata copy span two sectors, so that a torn metadata write leaves a copy half new, half old;
 * each stream must recover its own records, tails and restart chain.
 */
class MultiplexedCrashTest {
    private static final Path DIR = Path.of("/sim/mux");
    private static final List<String> NAMES = List.of("alpha", "beta", "gamma");
    private static final long SEED = 77;
    private static final long TOTAL_BYTES = 700_000;
    private static final int TORN_IMAGES = 2;

    private record Run(SimulatedDisk disk, Map<String, Expected> expected, long calls) {
    }

    private static Run run(long crashAfter) {
        SimulatedDisk disk = new SimulatedDisk();
        ClfsLog log = ClfsLog.create(disk, DIR, LogKind.MULTIPLEXED, true, CrashWorkload.POLICY);
        Map<String, Expected> expected = new LinkedHashMap<>();
        for (String name : NAMES) {
            long start = log.stream(name).baseLsn(); // creating a stream writes the metadata: before counting
            expected.put(name, new Expected(start, start));
        }
        long start = disk.ioCalls();
        if (crashAfter >= 0) {
            disk.crashAfter(crashAfter);
        }
        try {
            workload(log, expected);
        } catch (ClfsException e) {
            assertThat(disk.frozen()).as("only the power loss stops the workload: %s", e).isTrue();
        }
        return new Run(disk, expected, disk.ioCalls() - start);
    }

    private static void workload(ClfsLog log, Map<String, Expected> expected) {
        Random random = new Random(SEED);
        long bytes = 0;
        while (bytes < TOTAL_BYTES) {
            String name = NAMES.get(random.nextInt(NAMES.size()));
            LogStream s = log.stream(name);
            Expected e = expected.get(name);
            int r = random.nextInt(100);
            if (r < 85) {
                Expected.Rec rec = e.add(RecordType.DATA, 8 + random.nextInt(1500));
                bytes += rec.payload.length;
                rec.lsn = s.append(ByteBuffer.wrap(rec.payload));
            } else if (r < 93) {
                log.flush();
                ackAll(expected);
            } else if (r < 97) {
                Expected.Rec rec = e.add(RecordType.RESTART, 8 + random.nextInt(300));
                long base = e.acked > 10 ? e.records.get(e.acked - 10).lsn : Lsn.INVALID;
                if (base != Lsn.INVALID && Lsn.less(s.baseLsn(), base)) {
                    e.bases.add(base);
                    rec.lsn = s.writeRestartArea(ByteBuffer.wrap(rec.payload), base);
                    e.basesAcked = e.bases.size() - 1;
                } else {
                    rec.lsn = s.writeRestartArea(ByteBuffer.wrap(rec.payload));
                }
                e.restartAcked = rec.index;
                ackAll(expected); // the restart area's flush covers every stream's earlier records
            } else if (e.acked > 5) {
                // The archiver follows the base, staying on a record of the stream.
                long target = Lsn.min(e.records.get(e.acked - 5).lsn, s.baseLsn());
                if (Lsn.less(s.archiveTail(), target)) {
                    e.archiveTails.add(target);
                    s.setArchiveTail(target);
                    e.archiveTailsAcked = e.archiveTails.size() - 1;
                }
            }
        }
        log.close();
        ackAll(expected);
    }

    private static void ackAll(Map<String, Expected> expected) {
        for (Expected e : expected.values()) {
            if (e.last() != null) {
                e.ackThrough(e.last().index);
            }
        }
    }

    @Test
    void everyCrashPointRecoversEveryStream() {
        Run full = run(-1);
        assertThat(full.calls).isBetween(200L, 2000L);
        List<String> failures = new ArrayList<>();
        for (long k = 0; k <= full.calls && failures.size() < 5; k++) {
            Run r = k == full.calls ? full : run(k);
            for (int i = 0; i <= TORN_IMAGES; i++) {
                long seed = k * 17 + i;
                Loss loss = i == 0 ? Loss.DROP_ALL : Loss.TORN;
                try {
                    ClfsLog log = ClfsLog.open(new SimulatedDisk(r.disk.crash(loss, new Random(seed))), DIR);
                    assertThat(log.streamNames()).containsExactlyElementsOf(NAMES);
                    for (String name : NAMES) {
                        Recovered.of(log.stream(name)).check(r.expected.get(name));
                    }
                } catch (AssertionError | RuntimeException e) {
                    failures.add("crash point " + k + " of " + full.calls + ", " + loss + ", seed " + seed + ": " + e);
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
    }
}

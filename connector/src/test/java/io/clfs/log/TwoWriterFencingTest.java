package io.clfs.log;

import io.clfs.log.OwnerFencingTest.Interleaved;
import io.clfs.log.OwnerFencingTest.NoOwnerLock;
import io.clfs.log.io.SimulatedDisk;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.clfs.log.OwnerFencingTest.dataRecords;
import static io.clfs.log.OwnerFencingTest.name;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two writers on one log whose owner lock does not exclude, both writing: an older owner O, and a
 * newer one N that opens the log (uncleanly: O never closed it) just before O's I/O call k,
 * appends and flushes, and stays open, while O goes on appending and flushing. Whatever k, and with
 * or without a power loss afterwards, the log holds every record either acknowledged, once, in
 * chain order, and nothing O wrote after N's fence.
 */
class TwoWriterFencingTest {
    private static final int O_RECORDS = 45;
    private static final int N_RECORDS = 4;

    /** What one interleaving left. */
    private record Outcome(SimulatedDisk disk, List<String> oAppended, int oAppendedBeforeN, List<String> oAcked,
                           int oAckedAfterN, List<String> nAcked, long calls) {
    }

    private static byte[] record(int tag, int length) {
        byte[] r = new byte[length];
        r[0] = (byte) tag;
        return r;
    }

    /**
     * O appends records of about 14 KiB (the log's 512 KiB containers fill, so O switches into the
     * container it assigned ahead), flushes every third, writes a restart area every fifteenth;
     * N opens just before O's I/O call {@code k} (never, when negative).
     */
    private static Outcome interleave(long k) {
        SimulatedDisk disk = new SimulatedDisk();
        ClfsLog.create(disk, CrashWorkload.DIR, LogKind.DEDICATED, false, CrashWorkload.POLICY).close();
        List<String> oAppended = new ArrayList<>();
        List<String> nAcked = new ArrayList<>();
        int[] beforeN = {-1};
        Interleaved io = new Interleaved(disk, k, () -> {
            beforeN[0] = oAppended.size();
            ClfsLog newer = ClfsLog.open(new NoOwnerLock(disk), CrashWorkload.DIR); // stays open: N runs on
            for (int j = 0; j < N_RECORDS; j++) {
                byte[] r = record(200 + j, 5000 + j);
                newer.stream().appendForced(ByteBuffer.wrap(r));
                nAcked.add(name(r));
            }
        });
        OwnerFencingTest.OlderOwner o = OwnerFencingTest.runOlderOwner(io, O_RECORDS, 14_000, 15,
                () -> beforeN[0] >= 0, oAppended);
        return new Outcome(disk, oAppended, beforeN[0], o.acknowledged(), o.acknowledgedAfterNewer(), nAcked,
                io.calls());
    }

    /**
     * O's acknowledged records first, then perhaps more of O's that N's scan found (appended before N
     * opened, in O's order), then exactly N's acknowledged records: nothing of O's after the fence.
     */
    private static void assertChain(List<String> found, Outcome o, String what) {
        assertThat(found.size()).as("records in %s", what).isGreaterThanOrEqualTo(o.oAcked.size() + o.nAcked.size());
        assertThat(found.subList(0, o.oAcked.size())).as("O's acknowledged records in %s", what)
                .containsExactlyElementsOf(o.oAcked);
        int oFound = found.size() - o.nAcked.size();
        assertThat(found.subList(oFound, found.size())).as("N's acknowledged records last in %s", what)
                .containsExactlyElementsOf(o.nAcked);
        if (o.oAppendedBeforeN >= 0) {
            assertThat(oFound).as("O's records in %s: none appended after N opened", what)
                    .isLessThanOrEqualTo(o.oAppendedBeforeN);
        }
        assertThat(found.subList(0, oFound)).as("O's records in %s, in O's order", what)
                .containsExactlyElementsOf(o.oAppended.subList(0, oFound));
    }

    @Test
    void atEveryIoCallOfTheOlderOwnerBothWritersAcknowledgedRecordsSurviveAndNothingPastTheFence() {
        long calls = interleave(-1).calls;
        assertThat(calls).as("I/O calls of O's workload").isGreaterThan(40);
        int withN = 0;
        for (long k = 0; k <= calls; k++) {
            Outcome o = interleave(k);
            String at = "k=" + k;
            withN += o.oAppendedBeforeN >= 0 ? 1 : 0;
            assertThat(o.oAckedAfterN).as("records O acknowledged after N opened, %s", at).isZero();
            try (ClfsLog log = ClfsLog.open(new NoOwnerLock(o.disk), CrashWorkload.DIR)) {
                assertChain(dataRecords(log), o, "the log without a crash, " + at);
            }
            for (SimulatedDisk.Loss loss : List.of(SimulatedDisk.Loss.TORN, SimulatedDisk.Loss.DROP_ALL)) {
                SimulatedDisk after = new SimulatedDisk(o.disk.crash(loss, new Random(k)));
                try (ClfsLog log = ClfsLog.open(after, CrashWorkload.DIR)) {
                    assertChain(dataRecords(log), o, "the log after a power loss (" + loss + "), " + at);
                }
            }
        }
        assertThat(withN).as("interleavings in which N opened").isGreaterThan(40);
    }
}

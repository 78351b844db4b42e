package io.clfs.connect.source;

import io.clfs.log.Lsn;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AckTrackerTest {
    private static long lsn(int i) {
        return Lsn.of(1 + i / 1000, 4096 + 64L * (i % 1000)); // crosses containers: unsigned order matters
    }

    @Test
    void throughPassesOnlyRecordsFinishedWithEveryRecordBeforeThem() {
        AckTracker acks = new AckTracker(Lsn.INVALID);
        for (int i = 0; i < 4; i++) {
            acks.handedOut(lsn(i), 10 + i);
        }
        assertThat(acks.finished(lsn(1))).isEqualTo(11);
        assertThat(acks.through()).isEqualTo(Lsn.INVALID);
        assertThat(acks.outstanding()).isEqualTo(3);
        assertThat(acks.firstOutstanding()).isEqualTo(lsn(0));

        assertThat(acks.finished(lsn(0))).isEqualTo(10);
        assertThat(acks.through()).isEqualTo(lsn(1));
        assertThat(acks.firstOutstanding()).isEqualTo(lsn(2));
        assertThat(acks.sizeOf(lsn(3))).isEqualTo(13);
        assertThat(acks.sizeOf(lsn(1))).isEqualTo(-1);
    }

    @Test
    void aRecordNotHandedOutOrFinishedTwiceCountsNothing() {
        AckTracker acks = new AckTracker(lsn(0));
        acks.handedOut(lsn(1), 5);
        acks.handedOut(lsn(2), 6);
        assertThat(acks.finished(lsn(7))).isEqualTo(-1);
        assertThat(acks.finished(lsn(2))).isEqualTo(6);
        assertThat(acks.finished(lsn(2))).isEqualTo(-1);
        assertThat(acks.through()).isEqualTo(lsn(0));
        assertThat(acks.outstanding()).isEqualTo(1);
        assertThat(acks.finished(lsn(1))).isEqualTo(5);
        assertThat(acks.through()).isEqualTo(lsn(2));
        assertThat(acks.outstanding()).isZero();
        assertThat(acks.firstOutstanding()).isEqualTo(Lsn.INVALID);
    }

    @Test
    void keepsOrderWhileTheWindowWrapsAndGrows() {
        AckTracker acks = new AckTracker(Lsn.INVALID);
        int next = 0;
        for (; next < 700; next++) {
            acks.handedOut(lsn(next), next);
        }
        for (int i = 0; i < 600; i++) {
            acks.finished(lsn(i));
        }
        for (; next < 5000; next++) { // wraps the ring of 1024, then grows it with a wrapped window
            acks.handedOut(lsn(next), next);
        }
        for (int i = next - 1; i >= 601; i--) { // newest first: nothing passes until 600 finishes
            assertThat(acks.finished(lsn(i))).isEqualTo(i);
        }
        assertThat(acks.through()).isEqualTo(lsn(599));
        assertThat(acks.outstanding()).isEqualTo(1);
        assertThat(acks.finished(lsn(600))).isEqualTo(600);
        assertThat(acks.through()).isEqualTo(lsn(next - 1));
    }
}

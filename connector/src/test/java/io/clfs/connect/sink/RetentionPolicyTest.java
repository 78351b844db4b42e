package io.clfs.connect.sink;

import io.clfs.log.Lsn;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RetentionPolicyTest {
    private static final List<RetentionPolicy.Point> POINTS = List.of(
            new RetentionPolicy.Point(100, 1_000, 10_000),
            new RetentionPolicy.Point(200, 2_000, 20_000),
            new RetentionPolicy.Point(300, 3_000, 30_000));

    @Test
    void keepsEverythingWithNoLimits() {
        assertThat(new RetentionPolicy(-1, -1).target(POINTS, 0, 4_000, Long.MAX_VALUE)).isEqualTo(Lsn.NULL);
    }

    @Test
    void byTimeTheNewestRestartAreaWhoseRecordsAreAllOldEnough() {
        RetentionPolicy p = new RetentionPolicy(5_000, -1);
        assertThat(p.target(POINTS, 0, 4_000, 14_000)).isEqualTo(Lsn.NULL);
        assertThat(p.target(POINTS, 0, 4_000, 15_001)).isEqualTo(100);
        assertThat(p.target(POINTS, 0, 4_000, 30_000)).isEqualTo(200);
        assertThat(p.target(POINTS, 0, 4_000, 99_000)).isEqualTo(300);
    }

    @Test
    void bySizeTheOldestRestartAreaAfterWhichTheLimitFits() {
        RetentionPolicy p = new RetentionPolicy(-1, 2_500);
        assertThat(p.target(POINTS, 0, 2_400, 0)).isEqualTo(Lsn.NULL); // all of it fits
        assertThat(p.target(POINTS, 0, 4_000, 0)).isEqualTo(200);      // 2000 after 200; 3000 after 100
        assertThat(p.target(POINTS, 0, 9_000, 0)).isEqualTo(300);      // nothing fits: the newest
        assertThat(p.target(POINTS, 1_000, 3_400, 0)).isEqualTo(Lsn.NULL); // 2400 above the base fits
    }

    @Test
    void theLaterRuleWins() {
        assertThat(new RetentionPolicy(5_000, 2_500).target(POINTS, 0, 4_000, 30_000)).isEqualTo(200);
        assertThat(new RetentionPolicy(1_000, 2_500).target(POINTS, 0, 4_000, 99_000)).isEqualTo(300);
    }
}

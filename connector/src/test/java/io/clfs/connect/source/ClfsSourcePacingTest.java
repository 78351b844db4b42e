package io.clfs.connect.source;

import io.clfs.log.Lsn;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The rate limiter and the acknowledgement tracker: the two small pieces of bookkeeping. */
class ClfsSourcePacingTest {
    @Test
    void theRateLimiterAllowsOneSecondsWorthThenTheRate() {
        AtomicLong nanos = new AtomicLong();
        RateLimiter r = new RateLimiter(100, nanos::get);
        assertThat(r.permits(500)).isEqualTo(100);
        r.consume(100);
        assertThat(r.permits(500)).isZero();
        assertThat(r.nanosUntilPermit()).isEqualTo(10_000_000L);
        nanos.addAndGet(250_000_000L);
        assertThat(r.permits(500)).isEqualTo(25);
        nanos.addAndGet(60_000_000_000L);
        assertThat(r.permits(500)).as("the bucket holds one second").isEqualTo(100);
        assertThat(new RateLimiter(0, nanos::get).permits(500)).isEqualTo(500);
    }

    @Test
    void theTrackerAdvancesOnlyOverAnUnbrokenPrefix() {
        AckTracker t = new AckTracker(Lsn.INVALID);
        t.handedOut(10, 1);
        t.handedOut(20, 2);
        t.handedOut(30, 3);
        assertThat(t.finished(20)).isEqualTo(2);
        assertThat(t.through()).isEqualTo(Lsn.INVALID);
        assertThat(t.firstOutstanding()).isEqualTo(10);
        t.finished(10);
        assertThat(t.through()).isEqualTo(20);
        assertThat(t.outstanding()).isEqualTo(1);
        assertThat(t.finished(99)).as("not handed out here").isEqualTo(-1);
        t.finished(30);
        assertThat(t.through()).isEqualTo(30);
        assertThat(new AckTracker(5).through()).isEqualTo(5);
    }
}

package io.clfs.connect.source;

import java.util.function.LongSupplier;

/**
 * A token bucket for {@code clfs.replay.max.records.per.second}: up to one second's worth of
 * records may go at once, then the rate holds. A rate of 0 means no limit.
 */
final class RateLimiter {
    private final long perSecond;
    private final LongSupplier nanoClock;
    private double tokens;
    private long lastNanos;

    RateLimiter(long perSecond, LongSupplier nanoClock) {
        this.perSecond = perSecond;
        this.nanoClock = nanoClock;
        this.lastNanos = nanoClock.getAsLong();
        this.tokens = perSecond;
    }

    /** How many of {@code wanted} records may go now. */
    int permits(int wanted) {
        if (perSecond == 0) {
            return wanted;
        }
        refill();
        return (int) Math.min(wanted, (long) Math.floor(tokens));
    }

    void consume(int records) {
        if (perSecond != 0) {
            tokens -= records;
        }
    }

    /** Nanoseconds until one more record may go (0 when one may go now). */
    long nanosUntilPermit() {
        if (perSecond == 0) {
            return 0;
        }
        refill();
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) * 1e9 / perSecond);
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(perSecond, tokens + (now - lastNanos) * (double) perSecond / 1e9);
        lastNanos = now;
    }
}

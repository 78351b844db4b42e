package io.clfs.connect;

import io.clfs.log.LogPolicy;
import io.clfs.log.Lsn;

/** How far apart two positions of a log are, in log bytes: what the connectors report as pending or lag. */
public final class LogDistance {
    private LogDistance() {
    }

    /**
     * The log bytes from {@code from} up to {@code to}, block and record framing counted, container
     * headers not; 0 when {@code to} is not above {@code from}. Each logical container between them
     * holds the policy's usable bytes, whichever physical container it was recycled into.
     */
    public static long bytesBetween(LogPolicy policy, long from, long to) {
        if (!Lsn.less(from, to)) {
            return 0;
        }
        long bytes = (Lsn.container(to) - Lsn.container(from)) * policy.usableContainerBytes() + Lsn.offset(to)
                - Lsn.offset(from);
        return Math.max(0, bytes);
    }
}

package io.clfs.connect.source;

import io.clfs.connect.testing.ReplayCheck;
import org.junit.jupiter.api.BeforeAll;

import java.util.Map;

/** Without exactly-once support: a restarted task resumes after the last committed LSN, so no record is missing; duplicates are allowed. */
class ClfsSourceFaultsIT extends SourceFaultsContract {
    @BeforeAll
    static void startCluster() {
        connect = start("clfs-source-faults", Map.of());
    }

    @Override
    protected ReplayCheck.Delivery delivery() {
        return ReplayCheck.Delivery.AT_LEAST_ONCE;
    }

    @Override
    protected Map<String, String> sourceExtras() {
        return Map.of();
    }
}

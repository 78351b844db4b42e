package io.clfs.connect.source;

import io.clfs.connect.testing.EmbeddedConnectFixture;
import io.clfs.connect.testing.ReplayCheck;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

/** Without exactly-once support: a restarted task resumes after the last committed LSN, so no record is missing; duplicates are allowed. */
class SourceFaultsIT extends SourceFaultsContract {
    @RegisterExtension
    static final EmbeddedConnectFixture CONNECT = EmbeddedConnectFixture.of("clfs-source-faults", 3);

    SourceFaultsIT() {
        super(CONNECT, ReplayCheck.Delivery.AT_LEAST_ONCE, Map.of());
    }
}

package io.clfs.connect.sink;

import io.clfs.connect.testing.EmbeddedConnectFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The round trip on an in-process KRaft broker and three Connect workers. */
class SinkRoundTripIT extends SinkRoundTripContract {
    @RegisterExtension
    static final EmbeddedConnectFixture CONNECT = EmbeddedConnectFixture.of("clfs-roundtrip", 3);

    SinkRoundTripIT() {
        super(CONNECT);
    }
}

package io.clfs.connect.source;

import io.clfs.connect.testing.EmbeddedConnectFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SourcePreflightContract} on the in-process broker and Connect worker. */
class SourcePreflightValidateIT extends SourcePreflightContract {
    @RegisterExtension
    static final EmbeddedConnectFixture KAFKA = EmbeddedConnectFixture.of("source-preflight", 1);

    SourcePreflightValidateIT() {
        super(KAFKA);
    }
}

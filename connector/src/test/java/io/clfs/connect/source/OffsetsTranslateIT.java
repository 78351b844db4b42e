package io.clfs.connect.source;

import io.clfs.connect.testing.EmbeddedConnectFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link OffsetsTranslateContract} on the in-process broker and Connect worker. */
class OffsetsTranslateIT extends OffsetsTranslateContract {
    @RegisterExtension
    static final EmbeddedConnectFixture KAFKA = EmbeddedConnectFixture.of("offsets-translate", 1);

    OffsetsTranslateIT() {
        super(KAFKA);
    }
}

package io.clfs.connect.source;

import io.clfs.connect.testing.DockerConnectFixture;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link OffsetsTranslateContract} against a real broker in Docker (Testcontainers' KafkaContainer),
 * with a Connect worker in this JVM. Skipped cleanly where there is no Docker engine.
 */
@Testcontainers(disabledWithoutDocker = true)
class OffsetsTranslateKafkaContainerIT extends OffsetsTranslateContract {
    @RegisterExtension
    static final DockerConnectFixture KAFKA = new DockerConnectFixture();

    OffsetsTranslateKafkaContainerIT() {
        super(KAFKA);
    }
}

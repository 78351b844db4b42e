package io.clfs.connect.source;

import io.clfs.connect.testing.DockerConnectFixture;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The same pipeline against a real broker in Docker (Testcontainers' KafkaContainer), with a
 * Connect worker in this JVM. Skipped cleanly where there is no Docker engine. The image is the pinned
 * Kafka version unless -Dkafka.image=... names another.
 */
@Testcontainers(disabledWithoutDocker = true)
class SourceKafkaContainerIT extends SourceRoundTripContract {
    @RegisterExtension
    static final DockerConnectFixture CONNECT = new DockerConnectFixture();

    SourceKafkaContainerIT() {
        super(CONNECT);
    }
}

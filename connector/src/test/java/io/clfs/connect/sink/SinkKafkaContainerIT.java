package io.clfs.connect.sink;

import io.clfs.connect.testing.DockerConnectFixture;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The same round trip against a real broker in Docker (Testcontainers' KafkaContainer), with a
 * Connect worker in this JVM. Skipped cleanly where there is no Docker engine. The image is the pinned
 * Kafka version unless -Dkafka.image=... names another.
 */
@Testcontainers(disabledWithoutDocker = true)
class SinkKafkaContainerIT extends SinkRoundTripContract {
    @RegisterExtension
    static final DockerConnectFixture CONNECT = new DockerConnectFixture();

    SinkKafkaContainerIT() {
        super(CONNECT);
    }
}

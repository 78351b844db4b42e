package io.clfs.connect.source;

import io.clfs.connect.sink.EmbeddedConnect;
import io.clfs.connect.testing.ConnectRest;
import io.clfs.connect.testing.ExternalKafkaWorker;
import org.apache.kafka.connect.runtime.Connect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same pipeline against a real broker in Docker (Testcontainers' KafkaContainer), with a
 * Connect worker in this JVM. Skipped cleanly where there is no Docker engine. The image is the pinned
 * Kafka version unless -Dkafka.image=... names another.
 */
@Testcontainers(disabledWithoutDocker = true)
class ClfsSourceKafkaContainerIT extends SourceRoundTripContract {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(ExternalKafkaWorker.image());

    private static Connect<?> worker;

    @BeforeAll
    static void startWorker() {
        worker = ExternalKafkaWorker.start(KAFKA.getBootstrapServers());
    }

    @AfterAll
    static void stopWorker() {
        if (worker != null) {
            worker.stop();
        }
    }

    @Override
    protected String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }

    @Override
    protected ConnectRest rest() {
        return ExternalKafkaWorker.rest(worker);
    }

    @Override
    protected void createTopic(String topic, int partitions) {
        ExternalKafkaWorker.createTopic(bootstrapServers(), topic, partitions, EmbeddedConnect.TOPIC_CONFIG);
    }

    @Override
    protected int tasks() {
        return 1;
    }
}

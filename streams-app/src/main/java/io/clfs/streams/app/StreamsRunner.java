package io.clfs.streams.app;

import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link KafkaStreams} until it stops: on SIGTERM (or Ctrl-C) a shutdown hook closes it
 * cleanly within the timeout, so tasks commit and stores write their last restart areas; if
 * Streams itself stops in error, the runner closes it and reports the failure.
 */
final class StreamsRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsRunner.class);
    private final KafkaStreams streams;
    private final Duration closeTimeout;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean failed;

    StreamsRunner(KafkaStreams streams, Duration closeTimeout) {
        this.streams = streams;
        this.closeTimeout = closeTimeout;
        streams.setStateListener((now, before) -> {
            LOG.info("Kafka Streams state {} -> {}", before, now);
            if (now == KafkaStreams.State.ERROR) {
                failed = true;
            }
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
    }

    /** Starts Streams and blocks until it stops; returns true when it stopped without error. */
    boolean run() throws InterruptedException {
        Thread hook = new Thread(this::shutdown, "clfs-streams-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        streams.start();
        stopped.await();
        if (failed) {
            LOG.error("Kafka Streams stopped in error; closing");
            streams.close(closeTimeout);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already running the hook: it closes Streams
        }
        return !failed;
    }

    /** What SIGTERM runs: a clean close, waiting at most the timeout. */
    void shutdown() {
        LOG.info("Shutting down: closing Kafka Streams (timeout {})", closeTimeout);
        if (!streams.close(closeTimeout)) {
            LOG.warn("Kafka Streams did not close within {}", closeTimeout);
        }
    }
}

package io.clfs.connect.testing;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * What the fault tests share: records that keep flowing while the faults land, and a disruption
 * (a worker leaves, a task restarts) retried until the cluster accepts it.
 */
public final class Faults {
    private static final Logger log = LoggerFactory.getLogger(Faults.class);

    private Faults() {
    }

    /** A disruption, named for the log and for the failure message. */
    public record Fault(String what, Runnable action) {
    }

    /**
     * Produces batches of {@code batch} samples, {@code pause} apart so that the faults land while
     * records flow, until {@code stop} is set; the future gives each partition's end offset.
     */
    public static CompletableFuture<Map<TopicPartition, Long>> produceUntil(ConnectFixture connect,
            SampleRecords samples, int batch, Duration pause, AtomicBoolean stop) {
        return CompletableFuture.supplyAsync(() -> {
            Map<TopicPartition, Long> ends = new HashMap<>();
            try (TestProducer producer = connect.producer()) {
                long i = 0;
                while (!stop.get()) {
                    for (RecordMetadata m : producer.send(samples, i, i + batch)) {
                        ends.merge(new TopicPartition(m.topic(), m.partition()), m.offset() + 1, Math::max);
                    }
                    i += batch;
                    LockSupport.parkNanos(pause.toNanos());
                }
                log.info("Produced {} records during the faults", i);
            }
            return ends;
        });
    }

    /** Runs the fault's action, again while the cluster refuses it (it is rebalancing), until it is accepted. */
    public static void inject(Fault fault, Duration timeout) {
        Journals.await(timeout, () -> {
            try {
                fault.action().run();
                return true;
            } catch (RuntimeException e) {
                log.info("Fault '{}' not accepted yet: {}", fault.what(), e.getMessage());
                return false;
            }
        }, () -> fault.what() + " was never accepted");
    }

    public static Fault restartConnectorAndTasks(ConnectRest rest, String connector) {
        return new Fault("restart connector " + connector + " and its tasks", () -> rest.call("POST",
                "/connectors/" + connector + "/restart?includeTasks=true&onlyFailed=false", null));
    }

    public static Fault restartConnector(ConnectRest rest, String connector) {
        return new Fault("restart connector " + connector,
                () -> rest.call("POST", "/connectors/" + connector + "/restart", null));
    }

    public static Fault restartTask(ConnectRest rest, String connector, int task) {
        return new Fault("restart task " + task + " of " + connector,
                () -> rest.call("POST", "/connectors/" + connector + "/tasks/" + task + "/restart", null));
    }

    public static Fault workerLeaves(EmbeddedConnectFixture connect) {
        return new Fault("a worker leaves", () -> connect.cluster().removeWorker());
    }

    public static Fault workerJoins(EmbeddedConnectFixture connect) {
        return new Fault("a worker joins", () -> connect.cluster().addWorker());
    }
}

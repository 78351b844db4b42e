package io.clfs.connect;

import io.clfs.connect.testing.ChildWorker;
import io.clfs.connect.testing.ConnectorConfigs;
import io.clfs.connect.testing.EmbeddedConnectFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Connect workers in separate JVMs that do not share {@code clfs.log.dir}: one in this JVM,
 * one started in another working directory, with a relative log directory, so each resolves it to
 * a directory of its own, as two hosts with local disks would. A task on the worker that does not
 * run the connector is refused with the message that says what to do.
 */
class SharedDirectoryIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Map<String, String> GROUP = Map.of(
            "group.id", "clfs-shared-dir",
            "config.storage.topic", "clfs-shared-dir-configs",
            "offset.storage.topic", "clfs-shared-dir-offsets",
            "status.storage.topic", "clfs-shared-dir-status",
            "config.storage.replication.factor", "1",
            "offset.storage.replication.factor", "1",
            "status.storage.replication.factor", "1");
    @RegisterExtension
    static final EmbeddedConnectFixture CONNECT = EmbeddedConnectFixture.of("clfs-shared-dir", 1, GROUP);

    @TempDir
    Path otherHost;

    @Test
    void aWorkerThatDoesNotSeeTheConnectorsDirectoryIsRefused() throws Exception {
        Map<String, String> child = new HashMap<>(GROUP);
        child.put("bootstrap.servers", CONNECT.bootstrapServers());
        child.put("plugin.discovery", "service_load");
        child.put("heartbeat.interval.ms", "500");
        child.put("scheduled.rebalance.max.delay.ms", "2000");
        child.put("key.converter", ConnectorConfigs.BYTES);
        child.put("value.converter", ConnectorConfigs.BYTES);
        try (ChildWorker second = ChildWorker.start(otherHost, child)) {
            second.awaitUp(WAIT);
            String topic = "split";
            CONNECT.createTopic(topic, 4);
            // Relative: this JVM's working directory and the child's are not the same place.
            Path relative = Path.of("target", "shared-dir-it-" + UUID.randomUUID());
            Map<String, String> sink = ConnectorConfigs.byteSink(topic, relative, 4);
            sink.put("name", "split-sink");
            CONNECT.rest().putConnector("split-sink", sink);
            String trace = CONNECT.rest().awaitFailedTask("split-sink", WAIT);
            assertThat(trace).contains("is not the directory of the worker that runs connector split-sink")
                    .contains("shared file system that honours file locks").contains("single worker")
                    .containsAnyOf(relative.toAbsolutePath().toString(),
                            otherHost.resolve(relative).toAbsolutePath().toString());
            CONNECT.rest().deleteConnector("split-sink");
        }
    }
}

package io.clfs.connect.source;

import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClfsSourceConnectorTest {
    @TempDir
    Path dir;
    private final List<TestLog> logs = new ArrayList<>();

    @AfterEach
    void close() {
        logs.forEach(TestLog::close);
    }

    private void log(String topic, int partition) {
        logs.add(new TestLog(dir, topic, partition, true));
    }

    @Test
    void theLogsAreSpreadOverTheTasks() throws Exception {
        log("a", 0);
        log("a", 1);
        log("b", 0);
        Files.createDirectories(dir.resolve("not-a-log"));
        ClfsSourceConnector c = new ClfsSourceConnector();
        c.start(Map.of(ClfsSourceConfig.LOG_DIR, dir.toString()));
        try {
            List<Map<String, String>> tasks = c.taskConfigs(2);
            assertThat(tasks).hasSize(2);
            assertThat(tasks).extracting(t -> t.get(ClfsSourceConfig.TASK_LOGS)).containsExactly("a-0,a-1", "b-0");
            assertThat(c.taskConfigs(10)).hasSize(3);
        } finally {
            c.stop();
        }
    }

    @Test
    void noLogNoTaskAndTheConfiguredLogsOnly() throws Exception {
        ClfsSourceConnector c = new ClfsSourceConnector();
        c.start(Map.of(ClfsSourceConfig.LOG_DIR, dir.resolve("missing").toString()));
        assertThat(c.taskConfigs(4)).isEmpty();
        c.stop();
        log("a", 0);
        log("a", 1);
        c.start(Map.of(ClfsSourceConfig.LOG_DIR, dir.toString(), ClfsSourceConfig.LOGS, "a-1"));
        assertThat(c.taskConfigs(4)).extracting(t -> t.get(ClfsSourceConfig.TASK_LOGS)).containsExactly("a-1");
        c.stop();
    }

    @Test
    void theWatcherAsksForReconfigurationWhenALogAppears() {
        log("a", 0);
        LogDirectory d = new LogDirectory(dir, List.of());
        List<String> assigned = d.list();
        AtomicInteger asked = new AtomicInteger();
        LogDirectoryWatcher w = new LogDirectoryWatcher(d, () -> assigned, asked::incrementAndGet, 60_000, "t");
        assertThat(w.checkOnce()).isFalse();
        log("a", 1);
        assertThat(w.checkOnce()).isTrue();
        assertThat(asked).hasValue(1);
    }

    @Test
    void exactlyOnceAndConnectorBoundariesAreSupported() {
        ClfsSourceConnector c = new ClfsSourceConnector();
        assertThat(c.exactlyOnceSupport(Map.of())).isEqualTo(ExactlyOnceSupport.SUPPORTED);
        assertThat(c.canDefineTransactionBoundaries(Map.of())).isEqualTo(ConnectorTransactionBoundaries.SUPPORTED);
    }

    @Test
    void alteredOffsetsMustHaveTheConnectorsShape() {
        ClfsSourceConnector c = new ClfsSourceConnector();
        assertThat(c.alterOffsets(Map.of(), Map.of(Map.of("log", "a-0"), Map.of("lsn", "00000001:00000240")))).isTrue();
        assertThatThrownBy(() -> c.alterOffsets(Map.of(), Map.of(Map.of("log", "a-0"), Map.of("lsn", "12"))))
                .hasMessageContaining("cccccccc:oooooooo");
        assertThatThrownBy(() -> c.alterOffsets(Map.of(), Map.of(Map.of("file", "x"), Map.of("lsn", "12"))))
                .hasMessageContaining("log");
        Map<String, String> byId = Map.of("log", "a-0", "logId", "id-1");
        assertThat(c.alterOffsets(Map.of(), Map.of(byId, Map.of("lsn", "00000001:00000240", "logId", "id-1")))).isTrue();
        assertThatThrownBy(() -> c.alterOffsets(Map.of(), Map.of(byId, Map.of("lsn", "00000001:00000240",
                "logId", "id-2")))).hasMessageContaining("names log id id-2, not the partition's");
    }
}

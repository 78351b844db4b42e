package io.clfs.streams.app;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppConfigTest {
    /** The shipped examples, relative to the module directory the tests run in. */
    private static final Path JOURNAL_EXAMPLE = Path.of("../config/streams-journal.properties");
    private static final Path RESTORE_EXAMPLE = Path.of("../config/streams-restore.properties");

    @TempDir
    Path tmp;

    private static Map<String, Object> journal() {
        Map<String, Object> m = new HashMap<>();
        m.put(AppConfig.TOPOLOGY, "journal");
        m.put(AppConfig.JOURNAL_TOPICS, "a,b");
        m.put(AppConfig.JOURNAL_DIR, "/tmp/j");
        m.put(AppConfig.JOURNAL_RECEIPT_TOPIC, "receipts");
        m.put(StreamsConfig.APPLICATION_ID_CONFIG, "app");
        m.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        return m;
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> m = new HashMap<>(base);
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, value);
        }
        return m;
    }

    @Test
    void theShippedExamplesAreValid() {
        AppConfig j = AppConfig.load(JOURNAL_EXAMPLE);
        assertThat(j.kind()).isEqualTo(AppConfig.Kind.JOURNAL);
        assertThat(j.topics()).containsExactly("orders", "payments");
        assertThat(j.processingGuarantee()).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(j.streamsProperties()).doesNotContainKey(AppConfig.TOPOLOGY)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "clfs-journal");
        AppConfig r = AppConfig.load(RESTORE_EXAMPLE);
        assertThat(r.kind()).isEqualTo(AppConfig.Kind.RESTORE);
        assertThat(r.topics()).containsExactly("orders.replay", "payments.replay");
    }

    @Test
    void badSettingsFailNamingTheKey() {
        assertThatThrownBy(() -> AppConfig.of(with(journal(), AppConfig.TOPOLOGY, null)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("clfs.topology");
        assertThatThrownBy(() -> AppConfig.of(with(journal(), AppConfig.TOPOLOGY, "archive")))
                .hasMessageContaining("clfs.topology").hasMessageContaining("journal, restore");
        assertThatThrownBy(() -> AppConfig.of(with(journal(), "clfs.jurnal.dir", "/x")))
                .hasMessageContaining("unknown setting(s) [clfs.jurnal.dir]");
        assertThatThrownBy(() -> AppConfig.of(with(journal(), AppConfig.JOURNAL_TOPIC_PATTERN, "a.*")))
                .hasMessageContaining("set exactly one of clfs.journal.topics and clfs.journal.topic.pattern")
                .hasMessageContaining("both");
        assertThatThrownBy(() -> AppConfig.of(with(journal(), AppConfig.JOURNAL_TOPICS, null)))
                .hasMessageContaining("neither");
        assertThatThrownBy(() -> AppConfig.of(with(with(journal(), AppConfig.JOURNAL_TOPICS, null),
                AppConfig.JOURNAL_TOPIC_PATTERN, "(")))
                .hasMessageContaining("clfs.journal.topic.pattern").hasMessageContaining("not a regular expression");
        assertThatThrownBy(() -> AppConfig.of(with(journal(), AppConfig.JOURNAL_DIR, null)))
                .hasMessageContaining("missing clfs.journal.dir");
        assertThatThrownBy(() -> AppConfig.of(with(journal(), AppConfig.JOURNAL_CONTAINER_BYTES, "1000000")))
                .hasMessageContaining("clfs.journal.container.bytes").hasMessageContaining("multiple of 512");
        assertThatThrownBy(() -> AppConfig.of(with(journal(), AppConfig.JOURNAL_MAX_CONTAINERS, "many")))
                .hasMessageContaining("clfs.journal.max.containers");
        assertThatThrownBy(() -> AppConfig.of(with(journal(), StreamsConfig.APPLICATION_ID_CONFIG, null)))
                .hasMessageContaining("application.id");
        assertThatThrownBy(() -> AppConfig.of(with(journal(), StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "twice")))
                .hasMessageContaining("processing.guarantee");
        assertThatThrownBy(() -> AppConfig.load(tmp.resolve("missing.properties")))
                .hasMessageContaining("missing.properties does not exist");
    }

    @Test
    void theCommandLineDescribesTheTopologyOrExitsTwoOnBadConfiguration() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ClfsStreamsApp.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        assertThat(cli.execute("--describe", RESTORE_EXAMPLE.toString())).isZero();

        Path bad = tmp.resolve("bad.properties");
        Files.writeString(bad, "clfs.topology=journal\napplication.id=x\nbootstrap.servers=localhost:9092\n");
        assertThat(cli.execute(bad.toString())).isEqualTo(ClfsStreamsApp.BAD_CONFIG);
        assertThat(err.toString()).contains("clfs-streams: bad configuration:")
                .contains("clfs.journal.topics and clfs.journal.topic.pattern");
        assertThat(cli.execute()).isEqualTo(2); // picocli's usage error
    }
}

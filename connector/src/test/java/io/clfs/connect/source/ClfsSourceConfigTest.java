package io.clfs.connect.source;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClfsSourceConfigTest {
    private static Map<String, String> props(String... kv) {
        Map<String, String> p = new HashMap<>();
        p.put(ClfsSourceConfig.LOG_DIR, "/tmp/logs");
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void defaultsAreThoseOfTheIssue() {
        ClfsSourceConfig c = new ClfsSourceConfig(props());
        assertThat(c.mode()).isEqualTo(ClfsSourceConfig.Mode.ARCHIVE);
        assertThat(c.topicTemplate().render("orders", 3)).isEqualTo("orders.replay");
        assertThat(c.preservePartition()).isTrue();
        assertThat(c.replayHeaders()).isTrue();
        assertThat(c.maxRecordsPerSecond()).isZero();
        assertThat(c.logs()).isEmpty();
        assertThat(c.maxRecordBytes()).isEqualTo(1 << 20);
    }

    @Test
    void everyPublicKeyIsDocumentedGroupedAndRanked() {
        for (ConfigDef.ConfigKey k : ClfsSourceConfig.CONFIG_DEF.configKeys().values()) {
            if (k.internalConfig) {
                continue;
            }
            assertThat(k.documentation).as(k.name).isNotBlank();
            assertThat(k.group).as(k.name).isNotBlank();
            assertThat(k.importance).as(k.name).isNotNull();
            assertThat(k.name).as("public names start with clfs.").startsWith("clfs.");
        }
        assertThat(ClfsSourceConfig.CONFIG_DEF.names()).contains("clfs.log.dir", "clfs.replay.topic",
                "clfs.replay.preserve.partition", "clfs.replay.mode", "clfs.replay.from.lsn", "clfs.replay.to.lsn",
                "clfs.replay.batch.size", "clfs.replay.poll.interval.ms", "clfs.replay.max.records.per.second",
                "clfs.replay.headers");
    }

    @Test
    void theTopicTemplateTakesTopicAndPartition() {
        TopicTemplate t = new ClfsSourceConfig(props(ClfsSourceConfig.TOPIC, "restore.${topic}-p${partition}"))
                .topicTemplate();
        assertThat(t.render("orders", 7)).isEqualTo("restore.orders-p7");
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> new ClfsSourceConfig(props(ClfsSourceConfig.TOPIC, "x.${offset}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ClfsSourceConfig.TOPIC)
                .hasMessageContaining("placeholder");
        assertThatThrownBy(() -> new ClfsSourceConfig(props(ClfsSourceConfig.TOPIC, "bad topic")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ClfsSourceConfig.TOPIC);
        assertThatThrownBy(() -> new ClfsSourceConfig(props(ClfsSourceConfig.MODE, "range",
                ClfsSourceConfig.TO_LSN, "1:240"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(ClfsSourceConfig.TO_LSN).hasMessageContaining("cccccccc:oooooooo");
        assertThatThrownBy(() -> new ClfsSourceConfig(props(ClfsSourceConfig.MODE, "rewind")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ClfsSourceConfig.MODE);
        assertThatThrownBy(() -> new ClfsSourceConfig(props(ClfsSourceConfig.BATCH_SIZE, "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ClfsSourceConfig.BATCH_SIZE);
        assertThatThrownBy(() -> new ClfsSourceConfig(props(ClfsSourceConfig.MAX_RECORDS_PER_SECOND, "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ClfsSourceConfig.MAX_RECORDS_PER_SECOND);
        assertThatThrownBy(() -> new ClfsSourceConfig(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining(ClfsSourceConfig.LOG_DIR);
    }

    @Test
    void rangeModeNeedsAToAboveTheFrom() {
        assertThatThrownBy(() -> new ClfsSourceConfig(props(ClfsSourceConfig.MODE, "range")))
                .hasMessageContaining(ClfsSourceConfig.TO_LSN).hasMessageContaining("required");
        assertThatThrownBy(() -> new ClfsSourceConfig(props(ClfsSourceConfig.MODE, "range",
                ClfsSourceConfig.FROM_LSN, "00000002:00000000", ClfsSourceConfig.TO_LSN, "00000001:00000400")))
                .hasMessageContaining("must be above");
        assertThatThrownBy(() -> new ClfsSourceConfig(props(ClfsSourceConfig.FROM_LSN, "00000001:00000400")))
                .hasMessageContaining(ClfsSourceConfig.FROM_LSN).hasMessageContaining("range");
        ClfsSourceConfig ok = new ClfsSourceConfig(props(ClfsSourceConfig.MODE, "RANGE",
                ClfsSourceConfig.TO_LSN, "00000003:00000200"));
        assertThat(ok.fromLsn()).isEqualTo(io.clfs.log.Lsn.INVALID);
        assertThat(ok.toLsn()).isEqualTo(io.clfs.log.Lsn.of(3, 0x200));
    }

    @Test
    void theValidateEndpointNamesEachBadKey() {
        Config c = new ClfsSourceConnector().validate(props(ClfsSourceConfig.MODE, "range",
                ClfsSourceConfig.FROM_LSN, "00000002:00000000", ClfsSourceConfig.TO_LSN, "00000001:00000400",
                ClfsSourceConfig.TOPIC, "${nope}"));
        assertThat(errors(c, ClfsSourceConfig.TO_LSN)).anyMatch(m -> m.contains("must be above"));
        assertThat(errors(c, ClfsSourceConfig.TOPIC)).isNotEmpty();
        assertThat(errors(c, ClfsSourceConfig.FROM_LSN)).isEmpty();
        assertThat(errors(new ClfsSourceConnector().validate(props()), ClfsSourceConfig.TO_LSN)).isEmpty();
    }

    @Test
    void timestampAndOffsetRangesAreCheckedNamingTheKeyAndWhy() {
        Config c = new ClfsSourceConnector().validate(props(ClfsSourceConfig.MODE, "range",
                ClfsSourceConfig.FROM_TIMESTAMP, "2024-05-01T14:00:00", ClfsSourceConfig.FROM_OFFSET, "-3"));
        assertThat(errors(c, ClfsSourceConfig.FROM_TIMESTAMP)).anyMatch(m -> m.contains("zone offset"));
        assertThat(errors(c, ClfsSourceConfig.FROM_OFFSET)).anyMatch(m -> m.contains("not a Kafka offset"));

        c = new ClfsSourceConnector().validate(props(ClfsSourceConfig.MODE, "range",
                ClfsSourceConfig.FROM_TIMESTAMP, "2024-05-01T15:00:00Z", ClfsSourceConfig.TO_TIMESTAMP,
                "2024-05-01T14:00:00Z", ClfsSourceConfig.FROM_OFFSET, "10", ClfsSourceConfig.TO_OFFSET, "10"));
        assertThat(errors(c, ClfsSourceConfig.TO_TIMESTAMP)).anyMatch(m -> m.contains("must be after")
                && m.contains("holds nothing"));
        assertThat(errors(c, ClfsSourceConfig.TO_OFFSET)).anyMatch(m -> m.contains("must be above"));
        assertThat(errors(c, ClfsSourceConfig.TO_LSN)).isEmpty(); // not needed with a time range

        assertThatThrownBy(() -> new ClfsSourceConfig(props(ClfsSourceConfig.TO_OFFSET, "5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ClfsSourceConfig.TO_OFFSET)
                .hasMessageContaining("only used with clfs.replay.mode=range");

        ClfsSourceConfig ok = new ClfsSourceConfig(props(ClfsSourceConfig.MODE, "range",
                ClfsSourceConfig.FROM_TIMESTAMP, "1714572000000", ClfsSourceConfig.TO_TIMESTAMP,
                "2024-05-01T17:00:00+02:00"));
        assertThat(ok.selection()).isEqualTo(new ReplaySelection(1_714_572_000_000L, 1_714_575_600_000L,
                ReplaySelection.UNBOUNDED_FROM, ReplaySelection.UNBOUNDED_TO));
        assertThat(ok.toLsn()).isEqualTo(io.clfs.log.Lsn.INVALID);
    }

    @Test
    void theTopicMapIsCheckedForSyntax() {
        assertThat(new ClfsSourceConfig(props(ClfsSourceConfig.TOPIC_MAP, "orders:orders-restored, payments:p2"))
                .topicMap()).containsExactly(Map.entry("orders", "orders-restored"), Map.entry("payments", "p2"));
        for (String bad : new String[] {"orders", "orders:", "orders:a,orders:b", "or ders:x", "a:b:c"}) {
            assertThatThrownBy(() -> new ClfsSourceConfig(props(ClfsSourceConfig.TOPIC_MAP, bad))).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining(ClfsSourceConfig.TOPIC_MAP);
        }
    }

    static List<String> errors(Config c, String key) {
        return c.configValues().stream().filter(v -> v.name().equals(key)).findFirst()
                .map(ConfigValue::errorMessages).orElseThrow();
    }
}

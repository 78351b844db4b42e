package io.clfs.connect.sink;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClfsSinkConfigTest {
    private static Map<String, String> valid() {
        Map<String, String> p = new HashMap<>();
        p.put(ClfsSinkConfig.LOG_DIR, "/tmp/logs");
        return p;
    }

    @Test
    void defaultsMatchTheContract() {
        ClfsSinkConfig c = new ClfsSinkConfig(valid());
        assertThat(c.restartIntervalMs()).isEqualTo(60_000);
        assertThat(c.retentionMs()).isEqualTo(604_800_000L);
        assertThat(c.retentionBytes()).isEqualTo(-1);
        assertThat(c.archiveEnabled()).isTrue();
        assertThat(c.logFullBehavior()).isEqualTo(ClfsSinkConfig.LogFullBehavior.BLOCK);
        assertThat(c.nullValueBehavior()).isEqualTo(ClfsSinkConfig.NullValueBehavior.WRITE);
        assertThat(c.formatConverterClass().getName()).isEqualTo(ClfsSinkConfig.DEFAULT_FORMAT_CONVERTER);
        assertThat(c.logPolicy().containerSize()).isEqualTo(8L << 20);
    }

    @Test
    void everyKeyIsFullyDocumented() {
        for (ConfigDef.ConfigKey key : ClfsSinkConfig.CONFIG_DEF.configKeys().values()) {
            assertThat(key.documentation).as(key.name).isNotBlank();
            assertThat(key.group).as(key.name).isNotBlank();
            assertThat(key.importance).as(key.name).isNotNull();
            assertThat(key.validator != null || key.type == ConfigDef.Type.BOOLEAN).as(key.name + " validator").isTrue();
        }
        assertThat(ClfsSinkConfig.CONFIG_DEF.names()).contains("clfs.log.dir", "clfs.container.size.bytes",
                "clfs.log.min.containers", "clfs.log.max.containers", "clfs.restart.interval.ms",
                "clfs.restart.interval.records", "clfs.retention.ms", "clfs.retention.bytes", "clfs.archive.enabled",
                "clfs.log.full.behavior", "behavior.on.null.values", "clfs.format.converter");
    }

    @Test
    void formatConverterSettingsComeFromThePrefix() {
        Map<String, String> p = valid();
        p.put("clfs.format.converter.schemas.enable", "false");
        assertThat(new ClfsSinkConfig(p).formatConverterConfig()).containsEntry("schemas.enable", "false");
    }

    @Test
    void badValuesNameTheKey() {
        Map<String, Object[]> bad = Map.of(
                ClfsSinkConfig.CONTAINER_SIZE, new Object[]{"1000", "multiple of 512"},
                ClfsSinkConfig.LOG_FULL_BEHAVIOR, new Object[]{"drop", "BLOCK"},
                ClfsSinkConfig.NULL_VALUES, new Object[]{"maybe", "WRITE"},
                ClfsSinkConfig.RETENTION_MS, new Object[]{"-2", "at least -1"},
                ClfsSinkConfig.FORMAT_CONVERTER, new Object[]{"java.lang.String", "Converter"},
                ClfsSinkConfig.MIN_CONTAINERS, new Object[]{"1", "at least 2"});
        bad.forEach((key, v) -> {
            Map<String, String> p = valid();
            p.put(key, (String) v[0]);
            assertThatThrownBy(() -> new ClfsSinkConfig(p)).as(key).isInstanceOf(ConfigException.class)
                    .hasMessageContaining(key).hasMessageContaining((String) v[1]);
        });
        assertThatThrownBy(() -> new ClfsSinkConfig(Map.of())).hasMessageContaining(ClfsSinkConfig.LOG_DIR);
    }

    @Test
    void connectorValidationNamesCrossFieldErrorsOnTheKey() {
        Map<String, String> p = valid();
        p.put(ClfsSinkConfig.MIN_CONTAINERS, "8");
        p.put(ClfsSinkConfig.MAX_CONTAINERS, "4");
        List<ConfigValue> values = new ClfsSinkConnector().validate(p).configValues();
        ConfigValue max = values.stream().filter(v -> v.name().equals(ClfsSinkConfig.MAX_CONTAINERS)).findFirst()
                .orElseThrow();
        assertThat(max.errorMessages()).singleElement().asString().contains("clfs.log.min.containers");
        assertThatThrownBy(() -> new ClfsSinkConfig(p)).hasMessageContaining(ClfsSinkConfig.MAX_CONTAINERS);
    }

    @Test
    void theVersionComesFromTheBuild() {
        assertThat(new ClfsSinkConnector().version()).isNotEqualTo("unknown").contains(".");
    }
}

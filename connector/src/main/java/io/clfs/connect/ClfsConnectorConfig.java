package io.clfs.connect;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.storage.Converter;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the sink's and the source's configurations share: the log directory and the format
 * converter. Each connector words these keys' documentation for its own side; their type,
 * default, validation and display are defined here once, so that both connectors accept and
 * refuse the same values with the same messages.
 */
public abstract class ClfsConnectorConfig extends AbstractConfig {
    public static final String LOG_DIR = "clfs.log.dir";
    public static final String FORMAT_CONVERTER = "clfs.format.converter";
    /** Keys under this prefix, prefix removed, configure the format converter (the same on both sides). */
    public static final String FORMAT_CONVERTER_PREFIX = FORMAT_CONVERTER + ".";
    public static final String DEFAULT_FORMAT_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";

    protected ClfsConnectorConfig(ConfigDef definition, Map<String, String> props) {
        super(definition, props);
    }

    /** Defines {@link #LOG_DIR}, required, with this connector's {@code doc}. */
    protected static void defineLogDir(ConfigDef def, String doc, String group, int orderInGroup) {
        def.define(LOG_DIR, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyStringWithoutControlChars(),
                Importance.HIGH, doc, group, orderInGroup, Width.LONG, "Log directory");
    }

    /** Defines {@link #FORMAT_CONVERTER}, a {@link Converter} class defaulting to JSON, with this connector's {@code doc}. */
    protected static void defineFormatConverter(ConfigDef def, String doc, String group, int orderInGroup) {
        def.define(FORMAT_CONVERTER, Type.CLASS, DEFAULT_FORMAT_CONVERTER, ConfigValidators.converterClass(),
                Importance.LOW, doc, group, orderInGroup, Width.LONG, "Format converter");
    }

    public Path logDir() {
        return Path.of(getString(LOG_DIR));
    }

    /**
     * Settings of an Admin client: the servers of {@code bootstrapKey} and every key under {@code prefix},
     * prefix removed; empty when no servers are configured.
     */
    protected Map<String, Object> adminConfig(String bootstrapKey, String prefix) {
        String bootstrap = getString(bootstrapKey).trim();
        if (bootstrap.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> admin = new java.util.HashMap<>(originalsWithPrefix(prefix));
        admin.put("bootstrap.servers", bootstrap);
        return admin;
    }

    public Class<?> formatConverterClass() {
        return getClass(FORMAT_CONVERTER);
    }

    /** The format converter's own settings: every {@code clfs.format.converter.*} key, prefix removed. */
    public Map<String, Object> formatConverterConfig() {
        return originalsWithPrefix(FORMAT_CONVERTER_PREFIX);
    }

    /** A new format converter for keys ({@code isKey}) or values and header values, configured from this config. */
    public Converter newFormatConverter(boolean isKey) {
        Converter c = (Converter) Utils.newInstance(formatConverterClass());
        c.configure(formatConverterConfig(), isKey);
        return c;
    }
}

package io.clfs.connect;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.storage.Converter;

import java.util.Locale;
import java.util.Optional;

/**
 * Validators both connectors' configs use, so that the validate endpoint words them alike, and the
 * look-up their {@code validate} uses to check the rules that span keys.
 */
public final class ConfigValidators {
    private ConfigValidators() {
    }

    /** One of the enum's names in lower case, case-insensitively. */
    public static ConfigDef.Validator lowerCaseEnum(Enum<?>[] values) {
        String[] names = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            names[i] = values[i].name().toLowerCase(Locale.ROOT);
        }
        return ConfigDef.CaseInsensitiveValidString.in(names);
    }

    /** A class that implements Connect's {@link Converter}: the format converter. */
    public static ConfigDef.Validator converterClass() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value instanceof Class<?> c && !Converter.class.isAssignableFrom(c)) {
                    throw new ConfigException(name, c.getName(), "must implement " + Converter.class.getName());
                }
            }

            @Override
            public String toString() {
                return "a class implementing " + Converter.class.getName();
            }
        };
    }

    /** Empty, or a comma-separated list of host:port, as Kafka clients take {@code bootstrap.servers}. */
    public static ConfigDef.Validator hostPortList() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                String list = value == null ? "" : value.toString().trim();
                if (list.isEmpty()) {
                    return;
                }
                for (String entry : list.split(",", -1)) {
                    String e = entry.trim();
                    int colon = e.lastIndexOf(':');
                    String port = colon < 0 ? "" : e.substring(colon + 1);
                    if (colon < 1 || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
                        throw new ConfigException(name, value, "'" + e + "' is not host:port");
                    }
                }
            }

            @Override
            public String toString() {
                return "empty, or host:port,...";
            }
        };
    }

    /** The result for key {@code name} in a validation result, where the rules that span keys add their errors. */
    public static Optional<ConfigValue> find(Config validated, String name) {
        return validated.configValues().stream().filter(v -> v.name().equals(name)).findFirst();
    }
}

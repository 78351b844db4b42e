package io.clfs.connect;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.storage.Converter;

import java.util.Locale;

/** Validators both connectors' configs use, so that the validate endpoint words them alike. */
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
}

package io.clfs.connect.source;

import io.clfs.log.Lsn;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.util.LinkedHashMap;
import java.util.Map;

/** The per-key validators of the source configuration: each names the key and what is wrong. */
final class SourceValidators {
    private SourceValidators() {
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString().trim();
    }

    /** Empty, or an LSN in canonical text. */
    static final class LsnValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String s = text(value);
            if (s.isEmpty()) {
                return;
            }
            try {
                long lsn = Lsn.parse(s);
                if (lsn == Lsn.INVALID) {
                    throw new ConfigException(name, value, "LSN_INVALID (ffffffff:ffffffff) is no position in a log");
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "empty, or an LSN cccccccc:oooooooo (8 lower-case hex digits each)";
        }
    }

    /** Empty, epoch milliseconds, or ISO-8601 with a zone offset. */
    static final class TimestampValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String s = text(value);
            if (!s.isEmpty()) {
                try {
                    TimestampText.parse(s);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
            }
        }

        @Override
        public String toString() {
            return "empty, epoch milliseconds, or ISO-8601 with a zone offset (2024-05-01T14:00:00Z)";
        }
    }

    /** Empty, or a Kafka offset (0 or more). */
    static final class OffsetValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String s = text(value);
            if (!s.isEmpty()) {
                parseOffset(name, s);
            }
        }

        @Override
        public String toString() {
            return "empty, or a Kafka offset (0 or more)";
        }
    }

    static long parseOffset(String name, String s) {
        try {
            long offset = Long.parseLong(s.trim());
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(name, s, "not a Kafka offset (a whole number, 0 or more)");
    }

    static final class TopicTemplateValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String problem = TopicTemplate.problem(value == null ? null : value.toString());
            if (problem != null) {
                throw new ConfigException(name, value, problem);
            }
        }

        @Override
        public String toString() {
            return "a topic name that may hold " + ClfsSourceConfig.TOPIC_PLACEHOLDER + " and "
                    + ClfsSourceConfig.PARTITION_PLACEHOLDER;
        }
    }

    static final class TopicMapValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                parseTopicMap(text(value));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "empty, or origin:target pairs separated by commas";
        }
    }

    /** origin:target pairs, in order; IllegalArgumentException naming the pair at fault. */
    static Map<String, String> parseTopicMap(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return map;
        }
        for (String pair : text.split(",")) {
            String[] parts = pair.trim().split(":", -1);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalArgumentException("'" + pair.trim() + "' is not origin:target");
            }
            String origin = parts[0].trim();
            String target = parts[1].trim();
            for (String topic : new String[] {origin, target}) {
                if (TopicTemplate.problem(topic) != null || topic.contains("${")) {
                    throw new IllegalArgumentException("'" + topic + "' in '" + pair.trim() + "' is not a topic name");
                }
            }
            if (map.put(origin, target) != null) {
                throw new IllegalArgumentException("origin topic '" + origin + "' is mapped twice");
            }
        }
        return map;
    }
}

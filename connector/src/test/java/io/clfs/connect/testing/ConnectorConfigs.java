package io.clfs.connect.testing;

import io.clfs.connect.ClfsConnectorConfig;
import io.clfs.connect.sink.ClfsSinkConfig;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The plugin's connectors as the tests and the demo configure them: bytes in, bytes out, one log directory. */
public final class ConnectorConfigs {
    public static final String BYTES = "org.apache.kafka.connect.converters.ByteArrayConverter";

    private ConnectorConfigs() {
    }

    /** The sink journaling {@code topic} into {@code logDir}, with a restart area every 10,000 records. */
    public static Map<String, String> byteSink(String topic, Path logDir, int tasks) {
        Map<String, String> c = bytes("ClfsSinkConnector", logDir, tasks);
        c.put("topics", topic);
        c.put(ClfsSinkConfig.RESTART_INTERVAL_RECORDS, "10000");
        return c;
    }

    /** The source replaying every log in {@code logDir}, with its default intervals. */
    public static Map<String, String> byteSource(Path logDir, int tasks) {
        return bytes("ClfsSourceConnector", logDir, tasks);
    }

    private static Map<String, String> bytes(String connectorClass, Path logDir, int tasks) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", connectorClass);
        c.put("tasks.max", Integer.toString(tasks));
        c.put("key.converter", BYTES);
        c.put("value.converter", BYTES);
        c.put("header.converter", BYTES);
        c.put(ClfsConnectorConfig.LOG_DIR, logDir.toString());
        return c;
    }
}

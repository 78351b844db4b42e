package io.clfs.streams.app;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.Topology;

/** The input of either topology: the configured topics, or topic pattern, read as raw bytes. */
final class ByteInput {
    private ByteInput() {
    }

    static void add(Topology t, String name, AppConfig config) {
        if (config.topics() != null) {
            t.addSource(name, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                    config.topics().toArray(String[]::new));
        } else {
            t.addSource(name, new ByteArrayDeserializer(), new ByteArrayDeserializer(), config.topicPattern());
        }
    }
}

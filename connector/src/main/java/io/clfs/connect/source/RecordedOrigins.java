package io.clfs.connect.source;

import io.clfs.connect.envelope.EnvelopeFormatException;
import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.connect.envelope.TopicOrigin;
import io.clfs.log.LogRecord;
import io.clfs.log.LogStream;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The origin topics sink logs recorded (with {@code clfs.origin.bootstrap.servers}): topic id,
 * partition count and the settings a restore mirrors, read from each log's newest restart area.
 * Stateless.
 */
public final class RecordedOrigins {
    private RecordedOrigins() {
    }

    /** The stream's newest restart area when it records an origin topic; else null. */
    public static SinkRestartArea newestOf(LogStream stream) {
        LogRecord r = stream.readRestartArea();
        if (r == null || !SinkRestartArea.isRestartArea(r.data())) {
            return null;
        }
        try {
            SinkRestartArea ra = SinkRestartArea.decode(r.data());
            return ra.origin() != null ? ra : null;
        } catch (EnvelopeFormatException notTheSinks) {
            return null; // another writer's restart area that starts with the same magic: nothing recorded
        }
    }

    /**
     * The origin topics the logs recorded, by topic name. Logs of one topic recorded it at different
     * times; the one with the most partitions wins (a topic's partition count only grows).
     */
    static Map<String, TopicOrigin> of(Collection<LogStream> logs) {
        Map<String, TopicOrigin> out = new HashMap<>();
        for (LogStream stream : logs) {
            SinkRestartArea ra = newestOf(stream);
            if (ra != null) {
                out.merge(ra.topic(), ra.origin(), (a, b) -> b.partitions() > a.partitions() ? b : a);
            }
        }
        return out;
    }
}

package io.clfs.tool;

import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.connect.envelope.Payload;
import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.connect.envelope.TimestampKind;
import io.clfs.connect.envelope.TopicOrigin;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogKind;
import io.clfs.log.LogPolicy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a partition log as the sink does (envelopes with offsets 0, 1, ..., a restart area after
 * every {@code perRestartArea} records carrying the last offset and the newest timestamp).
 */
final class SinkStyleLog {
    private SinkStyleLog() {
    }

    /** Record i gets timestamp {@code stamps[i]}, key "k{i}" and a value of {@code valueBytes} bytes. */
    static void write(Path dir, String topic, int partition, long[] stamps, int perRestartArea, int valueBytes) {
        write(dir, topic, partition, stamps, perRestartArea, valueBytes, null);
    }

    /** As above, each restart area recording {@code origin} (null: none), as the sink with clfs.origin.bootstrap.servers. */
    static void write(Path dir, String topic, int partition, long[] stamps, int perRestartArea, int valueBytes,
                      TopicOrigin origin) {
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, true,
                LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096))) {
            long bytes = 0;
            long newest = -1;
            for (int i = 0; i < stamps.length; i++) {
                Envelope e = new Envelope(topic, partition, i, stamps[i], TimestampKind.CREATE_TIME,
                        Payload.bytes(("k" + i).getBytes(StandardCharsets.UTF_8)), Payload.bytes(new byte[valueBytes]),
                        List.of());
                byte[] b = EnvelopeCodec.encodeToArray(e);
                log.stream().append(b);
                bytes += b.length;
                newest = Math.max(newest, stamps[i]);
                if ((i + 1) % perRestartArea == 0) {
                    log.stream().writeRestartArea(new SinkRestartArea(topic, partition, i, i + 1, bytes, newest, 0,
                            0, 0, false, origin).encode());
                }
            }
            log.flush();
        }
    }
}

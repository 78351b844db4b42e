package io.clfs.connect.source;

import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.connect.envelope.EnvelopeHeader;
import io.clfs.connect.envelope.Payload;
import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.connect.envelope.TopicOrigin;
import io.clfs.connect.envelope.TimestampKind;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogKind;
import io.clfs.log.LogPolicy;
import io.clfs.log.LogStream;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A partition log written the way the sink writes it (envelopes, restart areas that move the
 * base), without Kafka: for unit tests of the replay.
 */
final class TestLog implements AutoCloseable {
    final String topic;
    final int partition;
    final ClfsLog log;
    final LogStream stream;
    /** LSN of each appended data record, by Kafka offset. */
    final List<Long> lsns = new ArrayList<>();
    private long bytes;
    private long maxTimestamp = -1;

    TestLog(Path root, String topic, int partition, boolean archive) {
        this.topic = topic;
        this.partition = partition;
        this.log = ClfsLog.create(root.resolve(topic + "-" + partition), LogKind.DEDICATED, archive,
                LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096).withContainers(2, 8));
        this.stream = log.stream();
    }

    String logId() {
        return log.info().logId();
    }

    static Envelope envelope(String topic, int partition, long offset, int valueBytes) {
        byte[] value = new byte[valueBytes];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (offset + i);
        }
        return new Envelope(topic, partition, offset, 1_000 + offset, TimestampKind.CREATE_TIME,
                Payload.bytes(("k" + offset).getBytes(StandardCharsets.UTF_8)), Payload.bytes(value),
                List.of(new EnvelopeHeader("h", Payload.bytes(("v" + offset).getBytes(StandardCharsets.UTF_8))),
                        new EnvelopeHeader("n", Payload.NULL)));
    }

    /** Appends records with the next {@code n} offsets (durable), returns their LSNs. */
    List<Long> append(int n, int valueBytes) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long offset = lsns.size();
            Envelope env = envelope(topic, partition, offset, valueBytes);
            byte[] e = EnvelopeCodec.encodeToArray(env);
            maxTimestamp = Math.max(maxTimestamp, env.timestamp());
            long lsn = stream.append(e);
            bytes += e.length;
            lsns.add(lsn);
            out.add(lsn);
        }
        log.flush();
        return out;
    }

    /** Appends one given envelope (durable), returns its LSN. */
    long append(Envelope e) {
        byte[] bytes = EnvelopeCodec.encodeToArray(e);
        maxTimestamp = Math.max(maxTimestamp, e.timestamp());
        long lsn = stream.append(bytes);
        this.bytes += bytes.length;
        lsns.add(lsn);
        log.flush();
        return lsn;
    }

    /** A sink restart area; with {@code release}, the base moves onto it (everything before is released). */
    long restartArea(boolean release) {
        SinkRestartArea ra = new SinkRestartArea(topic, partition, lsns.size() - 1, lsns.size(), bytes, maxTimestamp,
                0);
        long lsn = stream.writeRestartArea(ra.encode());
        if (release) {
            stream.advanceBase(lsn);
        }
        return lsn;
    }

    /** A sink restart area recording the origin topic, as the sink writes with clfs.origin.bootstrap.servers. */
    long restartArea(TopicOrigin origin) {
        return stream.writeRestartArea(new SinkRestartArea(topic, partition, lsns.size() - 1, lsns.size(), bytes,
                maxTimestamp, 0, 0, 0, false, origin).encode());
    }

    /** Appends a record with the next offset, the given timestamp and key (null for none); returns its LSN. */
    long appendStamped(long timestamp, byte[] key) {
        long offset = lsns.size();
        return append(new Envelope(topic, partition, offset, timestamp, TimestampKind.CREATE_TIME,
                key == null ? Payload.NULL : Payload.bytes(key), Payload.bytes(("v" + offset).getBytes(StandardCharsets.UTF_8)),
                List.of()));
    }

    long base() {
        return stream.baseLsn();
    }

    long archiveTail() {
        // the writer takes archive tails from disk when it reclaims; a fresh reader sees the disk now
        try (ClfsLog reader = ClfsLog.openReadOnly(log.dir())) {
            return reader.stream().archiveTail();
        }
    }

    @Override
    public void close() {
        log.close();
    }
}

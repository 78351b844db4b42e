package io.clfs.streams;

import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.connect.envelope.EnvelopeFormatException;
import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogRecord;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import io.clfs.log.ReadContext;
import io.clfs.log.ReadMode;
import io.clfs.log.RecordFilter;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;

/**
 * One input partition's stream of the shared journal log. It knows the last input offset journaled,
 * so that a redelivered record is not journaled twice, and writes the restart area that lets the
 * next run find that offset without reading the whole stream. Records are envelopes and restart
 * areas as the sink writes them ({@link EnvelopeCodec}, {@link SinkRestartArea}).
 *
 * <p>Not thread-safe: used only by the task thread of the store instance that opened it.
 */
final class PartitionStream {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionStream.class);
    private final TopicPartition partition;
    private final LogStream stream;
    private long lastOffset;
    private long lastDataLsn;
    private long records;
    private long bytes;
    /** Newest record timestamp journaled (journal time for records without one), -1 none. */
    private long maxTimestamp;
    /** Appended since the last restart area; they count only once that restart area made them durable. */
    private long unsyncedRecords;
    private long unsyncedBytes;
    /** The restart area on disk does not describe the stream's end. */
    private boolean restartAreaStale;
    private ReplayZone replay;
    private boolean started;

    private PartitionStream(TopicPartition partition, LogStream stream) {
        this.partition = partition;
        this.stream = stream;
    }

    /**
     * Opens the partition's stream (created on first use) and recovers its position: the newest
     * restart area, then every data record written after it.
     */
    static PartitionStream open(ClfsLog log, TopicPartition partition) {
        // Records another instance appended (a task closed on another thread) must be readable to recovery.
        log.flush();
        String name = StreamNames.of(partition);
        boolean created = !log.streamNames().contains(name);
        PartitionStream j = new PartitionStream(partition, log.stream(name));
        if (created) {
            j.anchorTails();
        }
        j.recover();
        return j;
    }

    /**
     * Writes an empty restart area and moves the new stream's tails onto it. The engine starts a new
     * stream's tails at the log's write position, which, when that is the end of a container, is no
     * readable position: reading from the tail then fails with "neither a record nor a block start".
     * On the stream's first record the tails are always readable.
     */
    private void anchorTails() {
        long first = stream.writeRestartArea(
                new SinkRestartArea(partition.topic(), partition.partition(), -1, 0, 0, -1,
                System.currentTimeMillis()).encode());
        stream.advanceBase(first);
        if (stream.log().archiveEnabled()) {
            stream.setArchiveTail(first);
        }
    }

    private void recover() {
        LogRecord restart = stream.readRestartArea();
        lastOffset = -1;
        maxTimestamp = -1;
        if (restart != null) {
            SinkRestartArea area = SinkRestartArea.decode(restart.data());
            if (!area.topic().equals(partition.topic()) || area.partition() != partition.partition()) {
                throw new EnvelopeFormatException("restart area at " + Lsn.toString(restart.lsn()) + " of stream '"
                        + stream.name() + "' in log " + stream.log().dir() + " journals " + area.topic() + "-"
                        + area.partition() + ", not " + partition);
            }
            lastOffset = area.lastOffset();
            records = area.recordsJournaled();
            bytes = area.bytesJournaled();
            maxTimestamp = area.maxTimestamp();
        }
        long after = 0;
        try (ReadContext ctx = restart != null ? stream.read(restart.lsn(), ReadMode.FORWARD, RecordFilter.DATA)
                : stream.readFromTail(RecordFilter.DATA)) {
            for (LogRecord r = ctx.next(); r != null; r = ctx.next()) {
                EnvelopeCodec.Fixed f = EnvelopeCodec.decodeFixed(r.data());
                lastOffset = f.offset();
                records++;
                bytes += r.data().remaining();
                maxTimestamp = Math.max(maxTimestamp, journalTime(f.timestamp()));
                after++;
                restartAreaStale = true;
            }
        }
        // The engine keeps each stream's newest data record: the record of lastOffset, as records are in offset order.
        lastDataLsn = stream.lastDataLsn();
        LOG.info("Journal of {} in {} (stream '{}'): last offset {} at {}, {} records; {} after the restart area at {}",
                partition, stream.log().dir(), stream.name(), lastOffset, Lsn.toString(lastDataLsn), records, after,
                restart == null ? "(none)" : Lsn.toString(restart.lsn()));
    }

    /** A record's timestamp, or for one without (negative) the time it is journaled: as the sink counts it. */
    private static long journalTime(long timestamp) {
        return timestamp >= 0 ? timestamp : System.currentTimeMillis();
    }

    TopicPartition partition() {
        return partition;
    }

    LogStream stream() {
        return stream;
    }

    long lastOffset() {
        return lastOffset;
    }

    /** Journals the envelope unless its offset is at or below the last one journaled. */
    Journaled append(Envelope e) {
        if (!started) {
            started = true;
            LOG.info("Journal of {} resumes at input offset {} (last journaled {})", partition, e.offset(), lastOffset);
        }
        if (e.offset() <= lastOffset) {
            return new Journaled(replayZone().lsnOf(e.offset()), e.topic(), e.partition(), e.offset(), true);
        }
        closeReplayZone();
        ByteBuffer[] parts = EnvelopeCodec.encode(e);
        long lsn = stream.append(parts);
        int size = EnvelopeCodec.size(parts);
        lastOffset = e.offset();
        maxTimestamp = Math.max(maxTimestamp, journalTime(e.timestamp()));
        lastDataLsn = lsn;
        records++;
        bytes += size;
        unsyncedRecords++;
        unsyncedBytes += size;
        restartAreaStale = true;
        return new Journaled(lsn, e.topic(), e.partition(), e.offset(), false);
    }

    private ReplayZone replayZone() {
        if (replay == null) {
            stream.flush(lastDataLsn); // the zone reads records back: they must be durable
            replay = new ReplayZone(stream, lastDataLsn);
        }
        return replay;
    }

    private void closeReplayZone() {
        if (replay != null) {
            replay.close();
            replay = null;
        }
    }

    boolean restartAreaStale() {
        return restartAreaStale;
    }

    /** Writes the restart area, which first makes every record of the log durable; returns its LSN. */
    long writeRestartArea() {
        long lsn = stream.writeRestartArea(new SinkRestartArea(partition.topic(), partition.partition(), lastOffset,
                records, bytes, maxTimestamp, System.currentTimeMillis()).encode());
        restartAreaStale = false;
        return lsn;
    }

    long lastDataLsn() {
        return lastDataLsn;
    }

    /** Records made durable since the last call. */
    long takeSyncedRecords() {
        long n = unsyncedRecords;
        unsyncedRecords = 0;
        return n;
    }

    long takeSyncedBytes() {
        long n = unsyncedBytes;
        unsyncedBytes = 0;
        return n;
    }

    void close() {
        closeReplayZone();
    }
}

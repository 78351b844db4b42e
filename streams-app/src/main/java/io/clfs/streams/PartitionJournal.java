package io.clfs.streams;

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
 * The journal of one input partition: one stream of the shared log. It knows the last input offset
 * journaled, so that a redelivered record is not journaled twice, and writes the restart area that
 * lets the next run find that offset without reading the whole stream.
 */
final class PartitionJournal {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionJournal.class);
    private final TopicPartition partition;
    private final LogStream stream;
    private long lastOffset;
    private long lastDataLsn;
    private long records;
    private long bytes;
    /** Appended since the last restart area; they count only once that restart area made them durable. */
    private long unsyncedRecords;
    private long unsyncedBytes;
    /** The restart area on disk does not describe the stream's end. */
    private boolean restartAreaStale;
    private ReplayZone replay;
    private boolean started;

    private PartitionJournal(TopicPartition partition, LogStream stream) {
        this.partition = partition;
        this.stream = stream;
    }

    /**
     * Opens the partition's stream (created on first use) and recovers its position: the newest
     * restart area, then every data record written after it.
     */
    static PartitionJournal open(ClfsLog log, TopicPartition partition) {
        // Records another instance appended (a task closed on another thread) must be readable to recovery.
        log.flush();
        String name = StreamNames.of(partition);
        boolean created = !log.streamNames().contains(name);
        PartitionJournal j = new PartitionJournal(partition, log.stream(name));
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
                new JournalRestartArea(partition.topic(), partition.partition(), -1, Lsn.INVALID, 0, 0).encode());
        stream.advanceBase(first);
        if (stream.log().archiveEnabled()) {
            stream.setArchiveTail(first);
        }
    }

    private void recover() {
        LogRecord restart = stream.readRestartArea();
        lastOffset = -1;
        lastDataLsn = Lsn.INVALID;
        if (restart != null) {
            JournalRestartArea area = JournalRestartArea.decode(restart.data());
            if (!area.topic().equals(partition.topic()) || area.partition() != partition.partition()) {
                throw new JournalFormatException("stream '" + stream.name() + "' of log " + stream.log().dir()
                        + " journals " + area.topic() + "-" + area.partition() + ", not " + partition);
            }
            lastOffset = area.lastOffset();
            lastDataLsn = area.lastDataLsn();
            records = area.records();
            bytes = area.bytes();
        }
        long after = 0;
        try (ReadContext ctx = restart != null ? stream.read(restart.lsn(), ReadMode.FORWARD, RecordFilter.DATA)
                : stream.readFromTail(RecordFilter.DATA)) {
            for (LogRecord r = ctx.next(); r != null; r = ctx.next()) {
                lastOffset = JournalEnvelopeCodec.offset(r.data());
                lastDataLsn = r.lsn();
                records++;
                bytes += r.data().remaining();
                after++;
                restartAreaStale = true;
            }
        }
        LOG.info("Journal of {} in {} (stream '{}'): last offset {} at {}, {} records; {} after the restart area at {}",
                partition, stream.log().dir(), stream.name(), lastOffset, Lsn.toString(lastDataLsn), records, after,
                restart == null ? "(none)" : Lsn.toString(restart.lsn()));
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
    Journaled append(JournalEnvelope e) {
        if (!started) {
            started = true;
            LOG.info("Journal of {} resumes at input offset {} (last journaled {})", partition, e.offset(), lastOffset);
        }
        if (e.offset() <= lastOffset) {
            return new Journaled(replayZone().lsnOf(e.offset()), e.topic(), e.partition(), e.offset(), true);
        }
        closeReplayZone();
        ByteBuffer[] parts = JournalEnvelopeCodec.encode(e);
        long lsn = stream.append(parts);
        int size = JournalEnvelopeCodec.size(parts);
        lastOffset = e.offset();
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
        long lsn = stream.writeRestartArea(
                new JournalRestartArea(partition.topic(), partition.partition(), lastOffset, lastDataLsn, records, bytes)
                        .encode());
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

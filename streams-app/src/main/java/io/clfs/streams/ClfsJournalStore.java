package io.clfs.streams;

import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogPolicy;
import io.clfs.log.LogRecord;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import io.clfs.log.ReadContext;
import io.clfs.log.ReadMode;
import io.clfs.log.RecordFilter;
import io.clfs.log.RecordType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Kafka Streams state store that journals input records into a local multiplexed CLFS log, one
 * stream per input partition. Build it with {@link #builder}; connect it to the processors that
 * call {@link #journal(Record)}.
 *
 * <p><b>Durability.</b> Before Streams commits a task's input offsets (or its transaction), the
 * store makes every record it journaled durable (one fsync covers all streams of the log) and
 * writes a restart area per partition holding the last input offset journaled. A journaled record
 * counts (metrics, restart areas) only after that fsync.
 *
 * <p><b>No duplicates.</b> After a crash Streams redelivers the records after the last committed
 * offset. The store knows, per partition, the last offset it journaled (restart area plus the
 * records after it) and does not journal a record at or below it again: {@link #journal} returns
 * the earlier record's LSN instead. So with {@code exactly_once_v2} and with
 * {@code at_least_once} every input record is in the journal once, in offset order.
 *
 * <p><b>The commit hook.</b> In Kafka Streams 4.3 {@link StateStore#commit} runs after the input
 * offsets are committed under {@code at_least_once}, and not at every commit under
 * {@code exactly_once_v2}: too late for a journal that must be durable before its input is
 * acknowledged. The one call Streams makes to a store before every commit, in both modes, is
 * {@link CachedStateStore#flushCache()} (from {@code StreamTask.prepareCommit}), so the store
 * implements that internal interface and makes its records durable there; {@link #commit} and
 * {@link #close} do the same. For the same reason {@link #managesOffsets()} is true: otherwise
 * Streams wraps persistent stores in a checkpointing layer that hides the interface.
 *
 * <p>The store has no changelog: its state is the local log. One instance serves one task; the
 * instances of one JVM share the open log (see {@link JournalLogs}).
 */
public final class ClfsJournalStore<K, V> implements StateStore, CachedStateStore<K, V> {
    private static final Logger LOG = LoggerFactory.getLogger(ClfsJournalStore.class);
    private final String name;
    private final Path dir;
    private final boolean archive;
    private final LogPolicy policy;
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;
    private final Map<TopicPartition, PartitionStream> partitions = new HashMap<>();
    private StateStoreContext context;
    private ClfsLog log;
    private JournalMetrics metrics;
    private Serde<K> keys;
    private Serde<V> values;
    private volatile boolean open;

    ClfsJournalStore(String name, Path dir, boolean archive, LogPolicy policy, Serde<K> keySerde, Serde<V> valueSerde) {
        this.name = name;
        this.dir = dir;
        this.archive = archive;
        this.policy = policy;
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
    }

    /**
     * A builder for a journal store named {@code name} whose log lives in {@code dir} (created on
     * first use). Null serdes mean the application's default serdes.
     */
    public static <K, V> ClfsJournalStoreBuilder<K, V> builder(String name, Path dir, Serde<K> keySerde,
                                                               Serde<V> valueSerde) {
        return new ClfsJournalStoreBuilder<>(name, dir, keySerde, valueSerde);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void init(StateStoreContext stateStoreContext, StateStore root) {
        this.context = stateStoreContext;
        this.keys = keySerde != null ? keySerde : (Serde<K>) stateStoreContext.keySerde();
        this.values = valueSerde != null ? valueSerde : (Serde<V>) stateStoreContext.valueSerde();
        this.log = JournalLogs.acquire(dir, archive, policy);
        try {
            this.metrics = new JournalMetrics(stateStoreContext.metrics(), name, stateStoreContext.taskId().toString());
            // No changelog: nothing is ever restored from Kafka.
            stateStoreContext.register(root, (key, value) -> { });
        } catch (RuntimeException e) {
            JournalLogs.release(log);
            throw e;
        }
        open = true;
        LOG.info("Journal store '{}' of task {} opened on log {}", name, stateStoreContext.taskId(), dir);
    }

    /**
     * Journals the record being processed, whose topic, partition and offset Streams supplies; call
     * it from {@code Processor#process}. Returns its LSN, or for a redelivered record the LSN it was
     * journaled at before.
     */
    public Journaled journal(Record<K, V> record) {
        // A punctuation has no record metadata, or metadata without a topic and offset.
        RecordMetadata m = context.recordMetadata().filter(r -> r.topic() != null && r.offset() >= 0)
                .orElseThrow(() -> new IllegalStateException("journal store '" + name + "' needs the input record's"
                        + " topic, partition and offset: call journal() from Processor#process, not from a punctuator"));
        byte[] key = keys.serializer().serialize(m.topic(), record.headers(), record.key());
        byte[] value = values.serializer().serialize(m.topic(), record.headers(), record.value());
        return journal(JournalEnvelopes.of(m.topic(), m.partition(), m.offset(), record.timestamp(), key, value,
                record.headers()));
    }

    /** Journals an envelope whose coordinates the caller supplies; the same rules apply. */
    public Journaled journal(Envelope envelope) {
        checkOpen();
        TopicPartition tp = new TopicPartition(envelope.topic(), envelope.partition());
        PartitionStream j = partitions.get(tp);
        if (j == null) {
            j = PartitionStream.open(log, tp);
            partitions.put(tp, j);
        }
        Journaled result = j.append(envelope);
        if (result.duplicate()) {
            metrics.duplicate();
        }
        return result;
    }

    /** The highest input offset journaled for {@code partition} by this store instance, or -1. */
    public long lastJournaledOffset(TopicPartition partition) {
        checkOpen();
        PartitionStream j = partitions.get(partition);
        return j == null ? -1 : j.lastOffset();
    }

    /** The input partitions this store's log journals (of every task that shared it). */
    public Set<TopicPartition> journaledPartitions() {
        checkOpen();
        Set<TopicPartition> out = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
        for (String stream : log.streamNames()) {
            LogRecord restart = log.stream(stream).readRestartArea();
            if (restart != null) {
                SinkRestartArea area = SinkRestartArea.decode(restart.data());
                out.add(new TopicPartition(area.topic(), area.partition()));
            }
        }
        for (PartitionStream j : partitions.values()) {
            out.add(j.partition());
        }
        return Collections.unmodifiableSet(out);
    }

    /** The durable journal record at {@code lsn} of {@code partition}'s stream. */
    public JournalRecord read(TopicPartition partition, long lsn) {
        LogRecord r = streamOf(partition).read(lsn);
        if (r.type() != RecordType.DATA) {
            throw new IllegalArgumentException("LSN " + Lsn.toString(lsn) + " of " + partition
                    + " is a restart area, not a journal record");
        }
        return new JournalRecord(r.lsn(), EnvelopeCodec.decode(r.data()));
    }

    /**
     * The durable journal records of {@code partition} from {@code fromLsn} to {@code toLsn}, both
     * inclusive, in LSN (and so offset) order. {@code fromLsn} is an LSN of the stream, or
     * {@link Lsn#NULL} for its oldest readable record; {@link Lsn#INVALID} as {@code toLsn} means
     * the end.
     */
    public JournalIterator range(TopicPartition partition, long fromLsn, long toLsn) {
        LogStream s = streamOf(partition);
        ReadContext ctx = fromLsn == Lsn.NULL ? s.readFromTail(RecordFilter.DATA)
                : s.read(fromLsn, ReadMode.FORWARD, RecordFilter.DATA);
        return new JournalIterator(ctx, toLsn);
    }

    /** Every durable journal record of {@code partition}. */
    public JournalIterator all(TopicPartition partition) {
        return range(partition, Lsn.NULL, Lsn.INVALID);
    }

    private LogStream streamOf(TopicPartition partition) {
        checkOpen();
        PartitionStream j = partitions.get(partition);
        if (j != null) {
            return j.stream();
        }
        String stream = StreamNames.of(partition);
        if (!log.streamNames().contains(stream)) {
            throw new NoSuchElementException("journal store '" + name + "' in " + dir + " has no records of "
                    + partition);
        }
        return log.stream(stream);
    }

    /**
     * Makes everything this store journaled durable and writes a restart area for each partition
     * that changed: what Streams' commit relies on.
     */
    private void sync() {
        List<PartitionStream> stale = new ArrayList<>();
        for (PartitionStream j : partitions.values()) {
            if (j.restartAreaStale()) {
                stale.add(j);
            }
        }
        if (stale.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        long newestRestart = Lsn.INVALID;
        long newestRecord = Lsn.NULL;
        long records = 0;
        long bytes = 0;
        for (PartitionStream j : stale) {
            // The first restart area makes every record of the log durable: one fsync for all streams.
            long restart = j.writeRestartArea();
            newestRestart = newestRestart == Lsn.INVALID ? restart : Lsn.max(newestRestart, restart);
            newestRecord = Lsn.max(newestRecord, j.lastDataLsn());
            records += j.takeSyncedRecords();
            bytes += j.takeSyncedBytes();
        }
        metrics.synced(System.nanoTime() - start, records, bytes, newestRecord, newestRestart);
        LOG.debug("Journal store '{}' synced {} records, restart area {}", name, records, Lsn.toString(newestRestart));
    }

    /** Streams calls this before committing a task's offsets or transaction: the durability point. */
    @Override
    public void flushCache() {
        if (open) {
            sync();
        }
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        if (open) {
            sync();
        }
    }

    @Override
    public void clearCache() {
        // nothing cached: journaled records are in the log's buffers until the next sync
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<K, V> listener, boolean sendOldValues) {
        return false; // the store forwards nothing downstream
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        try {
            if (!log.failed()) {
                sync();
            }
            LOG.info("Journal store '{}' closed: {}", name, partitions.values().stream()
                    .map(j -> j.partition() + " last offset " + j.lastOffset()).toList());
        } finally {
            partitions.values().forEach(PartitionStream::close);
            partitions.clear();
            metrics.close();
            JournalLogs.release(log);
        }
    }

    @Override
    public boolean persistent() {
        return true;
    }

    /** True so that Streams does not wrap the store (see the class comment); it has no changelog offsets. */
    @Override
    @Deprecated
    public boolean managesOffsets() {
        return true;
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return null;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    private void checkOpen() {
        if (!open) {
            throw new InvalidStateStoreException("journal store '" + name + "' is not open");
        }
    }

    @Override
    public String toString() {
        return "ClfsJournalStore[" + name + " in " + Objects.toString(dir) + "]";
    }
}

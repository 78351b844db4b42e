package io.clfs.connect.source;

import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.source.TransactionContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Connect as the task sees it: an offset store the test commits into ({@link #commit}), real
 * plugin metrics, and a transaction context that records the boundaries the task asks for.
 *
 * <p>The store keys offsets as Connect's does ({@code OffsetStorageReaderImpl}): by the bytes of
 * {@code [connector, partition]} from the worker's internal JSON converter, so a partition whose
 * entries come in another order is another key.
 */
final class FakeSourceTaskContext implements SourceTaskContext {
    private static final String NAMESPACE = "test";
    private final Map<ByteBuffer, Map<String, Object>> store = new HashMap<>();
    private final JsonConverter keys = new JsonConverter();
    final Metrics metrics = new Metrics();
    final PluginMetricsImpl pluginMetrics = new PluginMetricsImpl(metrics, Map.of("connector", "test", "task", "0"));
    /** Records after which a commit was asked for; null for "after this batch". */
    final List<SourceRecord> boundaries = new ArrayList<>();
    boolean connectorBoundaries;
    int storeReads;

    FakeSourceTaskContext() {
        keys.configure(Map.of("schemas.enable", "false"), true);
    }

    @Override
    public Map<String, String> configs() {
        return Map.of();
    }

    /** Connect's offset flush: the record's offset becomes the committed one of its partition. */
    void commit(SourceRecord r) {
        store(r.sourcePartition(), new HashMap<>(r.sourceOffset()));
    }

    /** Commits {@code offset} under {@code partition}, its entries in the map's iteration order. */
    void store(Map<String, ?> partition, Map<String, Object> offset) {
        store.put(key(partition), offset);
    }

    private ByteBuffer key(Map<String, ?> partition) {
        return ByteBuffer.wrap(keys.fromConnectData(NAMESPACE, null, Arrays.asList(NAMESPACE, partition)));
    }

    @Override
    public OffsetStorageReader offsetStorageReader() {
        return new OffsetStorageReader() {
            @Override
            public <T> Map<String, Object> offset(Map<String, T> partition) {
                return offsets(List.of(partition)).get(partition);
            }

            @Override
            public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                storeReads++;
                Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
                for (Map<String, T> p : partitions) {
                    out.put(p, store.get(key(p)));
                }
                return out;
            }
        };
    }

    @Override
    public TransactionContext transactionContext() {
        if (!connectorBoundaries) {
            return null;
        }
        return new TransactionContext() {
            @Override
            public void commitTransaction() {
                boundaries.add(null);
            }

            @Override
            public void commitTransaction(SourceRecord record) {
                boundaries.add(record);
            }

            @Override
            public void abortTransaction() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void abortTransaction(SourceRecord record) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return pluginMetrics;
    }
}

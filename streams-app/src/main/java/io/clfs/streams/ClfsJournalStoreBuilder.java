package io.clfs.streams;

import io.clfs.log.LogPolicy;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.StoreBuilder;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Builds {@link ClfsJournalStore}s: add it to a topology with {@code Topology#addStateStore} or
 * {@code StreamsBuilder#addStateStore}. The journal is local by design, so the store has no cache
 * and no changelog: asking for either is refused rather than silently ignored.
 */
public final class ClfsJournalStoreBuilder<K, V> implements StoreBuilder<ClfsJournalStore<K, V>> {
    private final String name;
    private final Path dir;
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;
    private LogPolicy policy = LogPolicy.defaults();
    private boolean archive;

    ClfsJournalStoreBuilder(String name, Path dir, Serde<K> keySerde, Serde<V> valueSerde) {
        this.name = Objects.requireNonNull(name, "name");
        this.dir = Objects.requireNonNull(dir, "dir");
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
    }

    /** The log's policies: container size and count, block size. Applied when the log is created or opened. */
    public ClfsJournalStoreBuilder<K, V> withPolicy(LogPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /** Creates the log non-ephemeral (with an archive tail for the clfs archive tool); fixed at creation. */
    public ClfsJournalStoreBuilder<K, V> withArchive(boolean archive) {
        this.archive = archive;
        return this;
    }

    @Override
    public ClfsJournalStoreBuilder<K, V> withCachingEnabled() {
        throw new UnsupportedOperationException("journal store '" + name + "' has no cache: records are journaled"
                + " as they are processed");
    }

    @Override
    public ClfsJournalStoreBuilder<K, V> withCachingDisabled() {
        return this;
    }

    @Override
    public ClfsJournalStoreBuilder<K, V> withLoggingEnabled(Map<String, String> config) {
        throw new UnsupportedOperationException("journal store '" + name + "' has no changelog: the journal is the"
                + " local log in " + dir);
    }

    @Override
    public ClfsJournalStoreBuilder<K, V> withLoggingDisabled() {
        return this;
    }

    @Override
    public ClfsJournalStore<K, V> build() {
        return new ClfsJournalStore<>(name, dir, archive, policy, keySerde, valueSerde);
    }

    @Override
    public Map<String, String> logConfig() {
        return Map.of();
    }

    @Override
    public boolean loggingEnabled() {
        return false;
    }

    @Override
    public String name() {
        return name;
    }
}

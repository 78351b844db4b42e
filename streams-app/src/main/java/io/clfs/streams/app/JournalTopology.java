package io.clfs.streams.app;

import io.clfs.streams.ClfsJournalStore;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * {@code journal}: input topics -> {@link JournalProcessor} with its {@link ClfsJournalStore} ->
 * receipt topic. Keys and values stay bytes end to end, so the journal holds exactly what Kafka
 * delivered.
 */
final class JournalTopology {
    static final String SOURCE = "journal-input";
    static final String PROCESSOR = "journal";
    static final String SINK = "journal-receipts";

    private JournalTopology() {
    }

    static Topology build(AppConfig config) {
        Topology t = new Topology();
        ByteInput.add(t, SOURCE, config);
        String store = config.journalStoreName();
        t.addProcessor(PROCESSOR, () -> new JournalProcessor(store), SOURCE);
        t.addStateStore(ClfsJournalStore.builder(store, config.journalDir(), Serdes.ByteArray(), Serdes.ByteArray())
                .withPolicy(config.journalPolicy())
                .withArchive(config.journalArchive()), PROCESSOR);
        t.addSink(SINK, config.receiptTopic(), new ByteArraySerializer(), new ByteArraySerializer(), PROCESSOR);
        return t;
    }
}

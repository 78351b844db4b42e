package io.clfs.streams.app;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * {@code restore}: replay topics -> {@link RestoreProcessor} with its LSN store -> each record's
 * origin topic, chosen per record. Keys and values stay bytes end to end, so restored records are
 * byte-identical to the originals.
 */
final class RestoreTopology {
    static final String SOURCE = "restore-replay";
    static final String PROCESSOR = "restore";
    static final String SINK = "restore-origin";

    private RestoreTopology() {
    }

    static Topology build(AppConfig config) {
        Topology t = new Topology();
        ByteInput.add(t, SOURCE, config);
        String store = config.dedupStoreName();
        t.addProcessor(PROCESSOR, () -> new RestoreProcessor(store), SOURCE);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.Bytes(),
                Serdes.ByteArray()), PROCESSOR);
        TopicNameExtractor<OriginKey, byte[]> origin = (key, value, context) -> key.topic();
        t.addSink(SINK, origin, new OriginKey.KeySerializer(), new ByteArraySerializer(), new OriginPartitioner(),
                PROCESSOR);
        return t;
    }
}

package io.clfs.streams.app;

import io.clfs.streams.TaskSensors;
import io.clfs.streams.TaskSensors.Stat;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Sends each replayed record back to its origin topic and partition with its key, value, headers
 * and timestamp, once. The {@code clfs.*} headers stay: {@code clfs.origin.offset} is what
 * {@code clfs offsets translate} moves a consumer group by onto the restored records, whose offsets
 * are new. Once: the LSN, with the origin partition it
 * belongs to, goes into a state store, and a record whose LSN is there already (a replay that ran
 * twice, or overlapping range replays) is dropped. Under {@code exactly_once_v2} the store's
 * changelog, the restored records and the replay offsets commit in one transaction.
 */
final class RestoreProcessor implements Processor<byte[], byte[], OriginKey, byte[]> {
    static final String METRICS_SCOPE = "clfs-restore";
    private static final byte[] SEEN = new byte[0];
    private final String storeName;
    private ProcessorContext<OriginKey, byte[]> context;
    private KeyValueStore<Bytes, byte[]> restored;
    private TaskSensors sensors;
    private Sensor restoredSensor;
    private Sensor duplicateSensor;

    RestoreProcessor(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<OriginKey, byte[]> context) {
        this.context = context;
        this.restored = context.getStateStore(storeName);
        sensors = new TaskSensors(context.metrics(), METRICS_SCOPE, storeName, context.taskId().toString());
        restoredSensor = sensors.sensor("restored",
                new Stat("restored-total", "Replayed records sent back to their origin topic", new CumulativeSum()));
        duplicateSensor = sensors.sensor("duplicates",
                new Stat("duplicates-total", "Replayed records dropped because their LSN was restored already",
                        new CumulativeSum()));
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        ReplayHeaders h = ReplayHeaders.parse(record.headers(), context.recordMetadata().orElse(null));
        Bytes key = dedupKey(h);
        if (restored.get(key) != null) {
            duplicateSensor.record(1);
            return;
        }
        restored.put(key, SEEN);
        context.forward(new Record<>(new OriginKey(h.originTopic(), h.originPartition(), record.key()), record.value(),
                record.timestamp(), record.headers()));
        restoredSensor.record(1);
    }

    /**
     * LSNs are unique within one origin log, and the sink keeps one log per origin topic-partition:
     * the key is the LSN with that partition and topic.
     */
    static Bytes dedupKey(ReplayHeaders h) {
        byte[] topic = h.originTopic().getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(12 + topic.length).putLong(h.lsn()).putInt(h.originPartition())
                .put(topic).array());
    }

    @Override
    public void close() {
        if (sensors != null) {
            sensors.close();
        }
    }
}

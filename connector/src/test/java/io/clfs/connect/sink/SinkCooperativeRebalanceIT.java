package io.clfs.connect.sink;

import io.clfs.connect.testing.ConnectorConfigs;
import io.clfs.connect.testing.EmbeddedConnectFixture;
import io.clfs.connect.testing.Journals;
import io.clfs.connect.testing.TestProducer;
import io.clfs.log.ClfsLog;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the ready config's cooperative assignor, a consumer rebalance that keeps a partition on its
 * task (here: a new topic matching {@code topics.regex} appears) does not reopen its log. Every
 * open of a log raises its owner epoch on disk, so an unchanged epoch shows that the log stayed open.
 */
class SinkCooperativeRebalanceIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int PARTITIONS = 3;
    @RegisterExtension
    static final EmbeddedConnectFixture CONNECT = EmbeddedConnectFixture.of("clfs-cooperative", 1);

    @TempDir
    Path logs;

    @Test
    void aNewMatchingTopicReopensNoLogOfThePartitionsThatStay() {
        CONNECT.createTopic("coop-a", PARTITIONS);
        Map<String, String> sink = ConnectorConfigs.byteSink("coop-a", logs, 1);
        sink.remove("topics");
        sink.put("topics.regex", "coop-.*");
        sink.put("consumer.override.partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        sink.put("consumer.override.metadata.max.age.ms", "500"); // the new topic is found within a second
        CONNECT.rest().putConnector("coop-sink", sink);

        CONNECT.awaitCommitted("coop-sink", produce("coop-a", PARTITIONS, "before"), WAIT);
        Map<Integer, Long> epochs = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            epochs.put(p, ownerEpoch("coop-a", p));
        }

        CONNECT.createTopic("coop-b", 1);
        Map<TopicPartition, Long> ends = produce("coop-b", 1, "new topic");
        ends.putAll(produce("coop-a", PARTITIONS, "after"));
        CONNECT.awaitCommitted("coop-sink", ends, WAIT);

        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(ownerEpoch("coop-a", p)).as("owner epoch of coop-a-%d's log", p).isEqualTo(epochs.get(p));
            assertThat(Journals.read(Journals.dirOf(logs, "coop-a", p))).hasSize(2);
        }
        assertThat(Journals.read(Journals.dirOf(logs, "coop-b", 0))).hasSize(1);
    }

    /** One record per partition; returns each partition's end offset. */
    private static Map<TopicPartition, Long> produce(String topic, int partitions, String value) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            records.add(new ProducerRecord<>(topic, p, null, (value + " " + p).getBytes(StandardCharsets.UTF_8)));
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        try (TestProducer producer = CONNECT.producer()) {
            producer.sendAll(records)
                    .forEach(m -> ends.put(new TopicPartition(m.topic(), m.partition()), m.offset() + 1));
        }
        return ends;
    }

    private long ownerEpoch(String topic, int partition) {
        try (ClfsLog log = ClfsLog.openReadOnly(Journals.dirOf(logs, topic, partition))) {
            return log.info().ownerEpoch();
        }
    }
}

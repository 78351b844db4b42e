package io.clfs.connect.sink;

import io.clfs.connect.envelope.Encoding;
import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.EnvelopeHeader;
import io.clfs.connect.envelope.TimestampKind;
import io.clfs.connect.testing.ConnectFixture;
import io.clfs.connect.testing.ConnectorConfigs;
import io.clfs.connect.testing.Journals;
import io.clfs.connect.testing.SampleRecords;
import io.clfs.connect.testing.TestProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The round trip every Kafka the sink runs against must pass: 200k records of every shape into a
 * 6-partition topic; afterwards each partition's log holds exactly that partition's records, in
 * offset order, byte-identical, read back through the engine. Subclasses bring the Kafka and the
 * Connect worker(s) as a {@link ConnectFixture}: embedded, or in Docker.
 */
public abstract class SinkRoundTripContract {
    static final String CONNECTOR = "clfs-roundtrip";
    static final String TOPIC = "roundtrip";
    static final int PARTITIONS = 6;
    static final int RECORDS = 200_000;

    @TempDir
    Path logs;

    /** The broker and the worker(s): the test runs one task per worker. */
    private final ConnectFixture connect;

    protected SinkRoundTripContract(ConnectFixture connect) {
        this.connect = connect;
    }

    @Test
    void journalsEachPartitionExactlyInOffsetOrderByteIdentical() {
        int tasks = connect.workers();
        connect.createTopic(TOPIC, PARTITIONS);
        connect.rest().putConnector(CONNECTOR, ConnectorConfigs.byteSink(TOPIC, logs, tasks));
        connect.rest().awaitRunning(CONNECTOR, tasks, Duration.ofSeconds(60));

        SampleRecords samples = new SampleRecords(TOPIC, PARTITIONS, true);
        List<List<Long>> byOffset = new ArrayList<>(); // per partition: sample index at each offset
        for (int p = 0; p < PARTITIONS; p++) {
            byOffset.add(new ArrayList<>());
        }
        try (TestProducer producer = connect.producer()) {
            for (long from = 0; from < RECORDS; from += 20_000) {
                List<RecordMetadata> sent = producer.send(samples, from, from + 20_000);
                for (int k = 0; k < sent.size(); k++) {
                    RecordMetadata m = sent.get(k);
                    List<Long> list = byOffset.get(m.partition());
                    assertThat(m.offset()).as("offsets of a fresh topic are dense").isEqualTo(list.size());
                    list.add(from + k);
                }
            }
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            ends.put(new TopicPartition(TOPIC, p), (long) byOffset.get(p).size());
        }
        connect.awaitCommitted(CONNECTOR, ends, Duration.ofSeconds(180));
        connect.rest().deleteConnector(CONNECTOR);

        long total = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            List<Long> expected = byOffset.get(p);
            int[] n = {0};
            int partition = p;
            Journals.forEach(Journals.dirOf(logs, TOPIC, p), e -> {
                assertThat(n[0]).as("records in partition %d's log", partition).isLessThan(expected.size());
                assertSameRecord(e, samples, expected.get(n[0]), partition, n[0]);
                n[0]++;
            });
            assertThat(n[0]).as("records in partition %d's log", p).isEqualTo(expected.size());
            total += n[0];
        }
        assertThat(total).isEqualTo(RECORDS);
    }

    private static void assertSameRecord(Envelope e, SampleRecords samples, long i, int partition, long offset) {
        String where = "partition " + partition + " offset " + offset + " (sample " + i + ")";
        assertThat(e.topic()).as(where).isEqualTo(TOPIC);
        assertThat(e.partition()).as(where).isEqualTo(partition);
        assertThat(e.offset()).as(where).isEqualTo(offset);
        assertThat(e.timestamp()).as(where).isEqualTo(SampleRecords.BASE_TIMESTAMP + i);
        assertThat(e.timestampKind()).as(where).isEqualTo(TimestampKind.CREATE_TIME);
        assertBytes(SampleRecords.key(i), e.key().encoding(), e.key().bytes(), where + " key");
        assertBytes(samples.value(i), e.value().encoding(), e.value().bytes(), where + " value");
        List<Header> headers = SampleRecords.headers(i);
        assertThat(e.headers()).as(where + " headers").hasSize(headers.size());
        for (int h = 0; h < headers.size(); h++) {
            EnvelopeHeader got = e.headers().get(h);
            assertThat(got.key()).as(where + " header " + h).isEqualTo(headers.get(h).key());
            assertBytes(headers.get(h).value(), got.value().encoding(), got.value().bytes(), where + " header " + h);
        }
    }

    private static void assertBytes(byte[] expected, Encoding encoding, byte[] actual, String what) {
        if (expected == null) {
            assertThat(encoding).as(what).isEqualTo(Encoding.NULL);
        } else {
            assertThat(encoding).as(what).isEqualTo(Encoding.BYTES);
            assertThat(actual).as(what).isEqualTo(expected);
        }
    }
}

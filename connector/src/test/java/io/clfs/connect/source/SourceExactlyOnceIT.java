package io.clfs.connect.source;

import io.clfs.connect.testing.EmbeddedConnectFixture;
import io.clfs.connect.testing.ReplayCheck;
import io.clfs.connect.testing.SampleRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With exactly.once.source.support=enabled on the workers (KIP-618): under faults, a
 * read_committed consumer sees every released record exactly once; and each transaction
 * boundary (poll, interval, connector) replays exactly once.
 */
class SourceExactlyOnceIT extends SourceFaultsContract {
    @RegisterExtension
    static final EmbeddedConnectFixture CONNECT = EmbeddedConnectFixture.of("clfs-source-eos", 3,
            Map.of("exactly.once.source.support", "enabled"));

    SourceExactlyOnceIT() {
        super(CONNECT, ReplayCheck.Delivery.EXACTLY_ONCE,
                Map.of("exactly.once.support", "required", "transaction.boundary", "poll"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"interval", "connector"})
    void eachTransactionBoundaryReplaysExactlyOnce(String boundary) {
        String topic = "boundary-" + boundary;
        CONNECT.createTopic(topic, 2);
        CONNECT.createTopic(topic + ".replay", 2);
        rest().putConnector(topic + "-sink", SourceRoundTripContract.sinkConfig(topic, logs, 1));
        rest().awaitRunning(topic + "-sink", 1, RUNNING);
        SourceRoundTripContract.awaitLogs(logs, topic, 2);
        Map<String, String> source = new HashMap<>(SourceRoundTripContract.sourceConfig(logs, 2));
        source.put("exactly.once.support", "required");
        source.put("transaction.boundary", boundary);
        source.put("transaction.boundary.interval.ms", "500");
        rest().putConnector(topic + "-source", source);
        rest().awaitRunning(topic + "-source", 2, RUNNING);

        Map<TopicPartition, Long> ends = CONNECT.produce(new SampleRecords(topic, 2, false), 0, 6_000);
        CONNECT.awaitCommitted(topic + "-sink", ends, RUNNING);
        SourceRoundTripContract.awaitReleasedAndArchived(logs, ends);
        assertThat(ReplayCheck.verify(CONNECT.bootstrapServers(), topic, topic + ".replay", logs, 2,
                ReplayCheck.Delivery.EXACTLY_ONCE)).isEqualTo(6_000);
        rest().deleteConnector(topic + "-source");
        rest().deleteConnector(topic + "-sink");
    }
}

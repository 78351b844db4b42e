package io.clfs.streams.app;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One in-process KRaft broker (combined broker and controller) for every integration test of the
 * JVM: a JUnit extension that starts it on first use and stops it when the run ends. Producers use
 * one request in flight and check every send (KAFKA-15591: a batch sent right after topic creation
 * can otherwise be lost silently).
 */
public final class KafkaBroker implements AutoCloseable {
    private final KafkaClusterTestKit cluster;
    /** Shared by the polls: a client per poll would load the broker more than the tests do. */
    private Admin admin;

    private KafkaBroker() throws Exception {
        // The metadata version a released 4.3 broker runs, not the test kit's default (the newest, unreleased one).
        MetadataVersion production = MetadataVersion.latestProduction();
        Map<String, Short> features = Feature.PRODUCTION_FEATURES.stream()
                .collect(Collectors.toMap(Feature::featureName, f -> f.defaultLevel(production), (a, b) -> a,
                        TreeMap::new));
        BootstrapMetadata bootstrap = BootstrapMetadata.fromVersions(production, features, "clfs-it");
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder(bootstrap)
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("group.min.session.timeout.ms", "1000")
                .setConfigProp("offsets.topic.num.partitions", "4")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.num.partitions", "4")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        cluster.nonFatalFaultHandler().setIgnore(true);
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        warmUp();
    }

    /** Creates the transaction and offsets topics, so that no test waits on their creation. */
    private void warmUp() throws Exception {
        createTopic("warm-up", 1);
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "warm-up");
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(c, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>("warm-up", new byte[0])).get();
            p.commitTransaction();
        }
        Map<String, Object> cc = new HashMap<>();
        cc.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        cc.put(ConsumerConfig.GROUP_ID_CONFIG, "warm-up");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cc, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.commitSync(Map.of(new TopicPartition("warm-up", 0), new OffsetAndMetadata(1)));
        }
    }

    /** {@code @ExtendWith(KafkaBroker.Extension.class)} gives tests a {@code KafkaBroker} parameter: one per JVM. */
    public static final class Extension implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            return p.getParameter().getType() == KafkaBroker.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
            return e.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(KafkaBroker.class,
                    k -> {
                        try {
                            return new KafkaBroker();
                        } catch (Exception ex) {
                            throw new IllegalStateException("cannot start the in-process Kafka broker", ex);
                        }
                    }, KafkaBroker.class);
        }
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the in-process Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** The broker's shared admin client: do not close it. */
    public synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
        }
        return admin;
    }

    public void createTopic(String name, int partitions) throws Exception {
        admin().createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        waitUntil(Duration.ofSeconds(30), "leaders for " + name, () -> {
            try {
                return admin().describeTopics(List.of(name)).allTopicNames().get().get(name).partitions().stream()
                        .allMatch(p -> p.leader() != null);
            } catch (ExecutionException | InterruptedException e) {
                return false;
            }
        });
    }

    public KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends every record and checks every result. */
    public static void sendAll(KafkaProducer<byte[], byte[]> producer, List<ProducerRecord<byte[], byte[]>> records)
            throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        for (ProducerRecord<byte[], byte[]> r : records) {
            sent.add(producer.send(r));
        }
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            f.get(); // throws for a failed send
        }
    }

    /** Everything committed in {@code partitions} up to their current end, read with read_committed. */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, Duration deadline) throws Exception {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long until = System.nanoTime() + deadline.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > until) {
                    throw new AssertionError("did not read " + topic + " to its end " + end + " within " + deadline);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    /** The offsets {@code group} committed for {@code topic}'s partitions. */
    public Map<TopicPartition, Long> committed(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> m =
                admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return m.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    public Map<TopicPartition, Long> endOffsets(String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> q = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            q.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin().listOffsets(q).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** Waits until {@code group} has committed every record of {@code topic}: all of it is processed. */
    public void awaitConsumed(String group, String topic, int partitions, Duration deadline) throws Exception {
        Map<TopicPartition, Long> end = endOffsets(topic, partitions);
        Object[] last = {null};
        waitUntil(deadline, () -> group + " to commit " + end + " (last seen " + last[0] + ")", () -> {
            try {
                Map<TopicPartition, Long> committed = committed(group, topic);
                last[0] = committed;
                return committed.equals(end);
            } catch (Exception e) {
                last[0] = e;
                return false;
            }
        });
    }

    /** Polls {@code condition} until it holds, failing after {@code deadline}. */
    public static void waitUntil(Duration deadline, String what, BooleanSupplier condition) {
        waitUntil(deadline, () -> what, condition);
    }

    public static void waitUntil(Duration deadline, Supplier<String> what, BooleanSupplier condition) {
        long until = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out after " + deadline + " waiting for " + what.get());
            }
            try {
                // Yield the CPU between polls of the broker; the deadline, not this pause, bounds the wait.
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what.get(), e);
            }
        }
    }
}

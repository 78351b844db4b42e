package io.clfs.tool;

import com.fasterxml.jackson.core.JsonGenerator;
import io.clfs.connect.source.ClfsSourceConfig.PartitionMapping;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** {@code clfs offsets translate}: a consumer group's offsets in an origin topic, carried over to its replay topic. */
@Command(name = "translate",
        description = {"For each partition of the origin topic (--from-topic) with an offset committed by the group,"
                + " finds the offset in the replay topic (--to-topic) of the first record whose clfs.origin.offset"
                + " header is at or after it (a binary search per partition, not a scan) and prints the plan: one"
                + " line per origin partition, and with --apply commits it for the group on the replay topic.",
                "--apply refuses while the group has active members (it names them): stop the consumers first.",
                "The replay topic must carry the source connector's clfs.origin.* headers (clfs.replay.headers=true,"
                        + " the default). When the replay mapped a larger origin into fewer partitions, give the"
                        + " same --mapping: a replay partition holding several origin partitions gets the lowest of"
                        + " their offsets (nothing is missed; records of the others before their own offset are"
                        + " read again)."})
final class TranslateOffsetsCommand extends Verb {
    @Option(names = "--bootstrap", required = true, paramLabel = "SERVERS", description = "The cluster of both topics.")
    String bootstrap;

    @Option(names = "--group", required = true, paramLabel = "G", description = "The consumer group.")
    String group;

    @Option(names = "--from-topic", required = true, paramLabel = "T", description = "The origin topic.")
    String fromTopic;

    @Option(names = "--to-topic", required = true, paramLabel = "R", description = "The replay topic.")
    String toTopic;

    @Option(names = "--mapping", paramLabel = "M", defaultValue = "none",
            description = "none (default: partitions preserved), hash or modulo: the replay's"
                    + " clfs.replay.partition.mapping (hash also for clfs.replay.preserve.partition=false).")
    String mapping;

    @Option(names = "--apply", description = "Commit the plan for the group on the replay topic.")
    boolean apply;

    @Option(names = "--client-property", paramLabel = "KEY=VALUE",
            description = "A Kafka client setting (security, say), for the Admin client and the consumer.")
    Map<String, String> clientProperties = new HashMap<>();

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "30000",
            description = "How long one read of the replay topic may wait for its records.")
    long timeoutMs;

    @Mixin
    JsonOption json;

    @Override
    int run() throws Exception {
        PartitionMapping m = mapping();
        Map<String, Object> client = new HashMap<>(clientProperties);
        client.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(client); KafkaConsumer<byte[], byte[]> consumer = consumer(client)) {
            if (apply) {
                List<String> members = GroupOffsets.activeMembers(admin, group);
                if (!members.isEmpty()) {
                    throw new IllegalStateException("group " + group + " has active members, refusing to commit"
                            + " its offsets: " + String.join(", ", members) + "; stop them first");
                }
            }
            int origins = partitions(admin, fromTopic);
            int targets = partitions(admin, toTopic);
            Map<Integer, Long> committed = GroupOffsets.committed(admin, group, fromTopic);
            List<TopicPartition> all = new ArrayList<>();
            for (int q = 0; q < targets; q++) {
                all.add(new TopicPartition(toTopic, q));
            }
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(all);
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(all);
            long[] ends = all.stream().mapToLong(endOffsets::get).toArray();
            TranslationPlan plan = TranslationPlan.of(origins, committed, targets, m, ends, (p, q, c) -> {
                TopicPartition tp = all.get(q);
                return OriginOffsetSearch.find(new ReplayPartitionProbe(consumer, tp, fromTopic, p,
                        Duration.ofMillis(timeoutMs)), begins.get(tp), ends[q], c);
            });
            if (apply) {
                Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
                plan.targets().forEach(t -> t.offset().ifPresent(o -> offsets.put(all.get(t.partition()), o)));
                GroupOffsets.commit(admin, group, offsets);
            }
            print(plan);
        }
        return ClfsTool.OK;
    }

    private PartitionMapping mapping() {
        try {
            return PartitionMapping.valueOf(mapping.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--mapping is none, hash or modulo, not "
                    + mapping);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> client) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A restore replayed with exactly-once delivery: aborted records are no place for a group to resume.
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "clfs-offsets-translate");
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private int partitions(Admin admin, String topic) throws InterruptedException {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS)
                    .get(topic).partitions().size();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe topic " + topic + " on " + bootstrap + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot describe topic " + topic + " on " + bootstrap + ": no answer"
                    + " within " + timeoutMs + " ms", e);
        }
    }

    private void print(TranslationPlan plan) throws Exception {
        PrintWriter out = out();
        if (json.json) {
            printJson(plan, out);
            return;
        }
        for (TranslationPlan.Target t : plan.targets()) {
            String target = toTopic + "-" + t.partition();
            for (TranslationPlan.Origin o : t.origins()) {
                out.println(fromTopic + "-" + o.partition() + (o.committed().isEmpty() ? " nothing committed -> "
                        + target + " left alone" : " committed=" + o.committed().getAsLong() + " -> " + target + " "
                        + where(o.offset().getAsLong(), t.end())));
            }
            if (t.origins().size() > 1) {
                out.println(target + (t.offset().isEmpty() ? " left alone (an origin partition has nothing"
                        + " committed)" : " gets the lowest: " + where(t.offset().getAsLong(), t.end())));
            }
        }
        out.println(apply ? "applied for group " + group + " on " + toTopic
                : "plan only: --apply commits it for group " + group);
    }

    private static String where(long offset, long end) {
        return offset >= end ? "at end (offset " + end + ")" : "offset=" + offset;
    }

    private void printJson(TranslationPlan plan, PrintWriter out) throws Exception {
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartObject();
            g.writeStringField("group", group);
            g.writeStringField("fromTopic", fromTopic);
            g.writeStringField("toTopic", toTopic);
            g.writeBooleanField("applied", apply);
            g.writeArrayFieldStart("partitions");
            for (TranslationPlan.Target t : plan.targets()) {
                g.writeStartObject();
                g.writeNumberField("partition", t.partition());
                number(g, "offset", t.offset());
                g.writeNumberField("end", t.end());
                g.writeBooleanField("atEnd", t.atEnd());
                g.writeArrayFieldStart("origins");
                for (TranslationPlan.Origin o : t.origins()) {
                    g.writeStartObject();
                    g.writeNumberField("partition", o.partition());
                    number(g, "committed", o.committed());
                    number(g, "offset", o.offset());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            Json.endLine(g, out);
        }
    }

    private static void number(JsonGenerator g, String field, OptionalLong v) throws Exception {
        if (v.isPresent()) {
            g.writeNumberField(field, v.getAsLong());
        } else {
            g.writeNullField(field);
        }
    }
}

package io.clfs.tool;

import com.fasterxml.jackson.core.JsonGenerator;
import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.connect.envelope.TopicOrigin;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * The origin topic a sink log recorded (topic id, partition count, the settings a restore mirrors),
 * as {@code clfs info} and {@code clfs restore-check} print it. Stateless.
 */
final class OriginText {
    private OriginText() {
    }

    /** One line, as {@code clfs restore-check} prints it under a partition. */
    static String line(TopicOrigin o) {
        return "origin topicId=" + o.topicId() + " partitions=" + o.partitions() + " max.message.bytes="
                + o.maxMessageBytes() + " retention.ms=" + o.retentionMs() + " retention.bytes=" + o.retentionBytes()
                + " cleanup.policy=" + o.cleanupPolicy();
    }

    /** One "key value" line per field, as the rest of {@code clfs info}'s text. */
    static void text(PrintWriter out, SinkRestartArea recorded) {
        TopicOrigin o = recorded.origin();
        out.println("originTopic " + recorded.topic());
        out.println("originTopicId " + o.topicId());
        out.println("originPartitions " + o.partitions());
        out.println("originMaxMessageBytes " + o.maxMessageBytes());
        out.println("originRetentionMs " + o.retentionMs());
        out.println("originRetentionBytes " + o.retentionBytes());
        out.println("originCleanupPolicy " + o.cleanupPolicy());
    }

    /** {@code "origin"}: an object, or null when nothing was recorded (the key is there for every log). */
    static void json(JsonGenerator g, SinkRestartArea recorded) throws IOException {
        if (recorded == null || recorded.origin() == null) {
            g.writeNullField("origin");
            return;
        }
        TopicOrigin o = recorded.origin();
        g.writeObjectFieldStart("origin");
        g.writeStringField("topic", recorded.topic());
        g.writeStringField("topicId", o.topicId().toString());
        g.writeNumberField("partitions", o.partitions());
        g.writeNumberField("maxMessageBytes", o.maxMessageBytes());
        g.writeNumberField("retentionMs", o.retentionMs());
        g.writeNumberField("retentionBytes", o.retentionBytes());
        g.writeStringField("cleanupPolicy", o.cleanupPolicy());
        g.writeEndObject();
    }
}

package io.clfs.streams;

import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The log stream that journals one input partition: {@code <topic>-<partition>}, as Kafka prints a
 * partition. A log stream name has at most 128 UTF-8 bytes but a topic may have 249 characters:
 * longer names keep a prefix and add a digest of the whole name, so they stay unique and
 * recognisable. Records and restart areas carry the full topic name in any case.
 */
final class StreamNames {
    static final int MAX_BYTES = 128;
    private static final int DIGEST_HEX = 16;

    private StreamNames() {
    }

    static String of(TopicPartition tp) {
        String full = tp.topic() + "-" + tp.partition();
        if (full.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
            return full;
        }
        String suffix = "~" + digest(tp.topic()) + "-" + tp.partition();
        return prefix(tp.topic(), MAX_BYTES - suffix.length()) + suffix;
    }

    /** The longest prefix of {@code s} within {@code maxBytes} UTF-8 bytes, not splitting a character. */
    private static String prefix(String s, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < s.length()) {
            int cp = s.codePointAt(end);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > maxBytes) {
                break;
            }
            bytes += n;
            end += Character.charCount(cp);
        }
        return s.substring(0, end);
    }

    private static String digest(String topic) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(topic.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, DIGEST_HEX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}

package io.clfs.connect.envelope;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Bytes in the layouts the Streams journal store wrote before it wrote envelopes ("CLSJ" records,
 * "CLSR" restart areas, version 1), written here from the old layout field by field, so that tests
 * can prove that logs holding them still read. Keys, values and header values are bytes or null.
 */
public final class LegacyStreamsBytes {
    private LegacyStreamsBytes() {
    }

    /** A header as the old layout held it: a name and a nullable value. */
    public record Header(String name, byte[] value) {
    }

    public static byte[] record(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                                Header... headers) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer fixed = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        fixed.putInt(0x4A534C43).put((byte) 1).put((byte) 0).putShort((short) t.length).putInt(partition)
                .putLong(offset).putLong(timestamp).putInt(length(key)).putInt(length(value)).putInt(headers.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(fixed.array());
        out.writeBytes(t);
        writeNullable(out, key);
        writeNullable(out, value);
        for (Header h : headers) {
            byte[] name = h.name().getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) name.length).array());
            out.writeBytes(name);
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(length(h.value())).array());
            writeNullable(out, h.value());
        }
        return out.toByteArray();
    }

    public static byte[] restartArea(String topic, int partition, long lastOffset, long lastDataLsn, long records,
                                     long bytes) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(44 + t.length).order(ByteOrder.LITTLE_ENDIAN).putInt(0x52534C43).put((byte) 1)
                .put((byte) 0).putShort((short) t.length).putInt(partition).putLong(lastOffset).putLong(lastDataLsn)
                .putLong(records).putLong(bytes).put(t).array();
    }

    private static int length(byte[] b) {
        return b == null ? -1 : b.length;
    }

    private static void writeNullable(ByteArrayOutputStream out, byte[] b) {
        if (b != null) {
            out.writeBytes(b);
        }
    }
}

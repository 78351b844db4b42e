package io.clfs.streams;

import io.clfs.log.Lsn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The restart area the journal store writes for one input partition at each Streams commit: the
 * last input offset journaled, the LSN of its record, and running totals. Recovery starts from it
 * and scans only the records written after it.
 *
 * <p>Layout (little-endian, version 1): int magic "CLSR", byte version, byte reserved, u16 topic
 * length, int partition, long last offset (-1: none), long last data LSN, long records, long
 * bytes, then the topic in UTF-8.
 *
 * @param lastOffset  the highest input offset journaled, or -1
 * @param lastDataLsn the LSN of that record, or {@link Lsn#INVALID}
 * @param records     data records journaled in this stream so far
 * @param bytes       their payload bytes
 */
public record JournalRestartArea(String topic, int partition, long lastOffset, long lastDataLsn, long records,
                                 long bytes) {
    public static final int MAGIC = 0x52534C43; // "CLSR"
    public static final int VERSION = 1;
    private static final int FIXED_LENGTH = 44;

    public ByteBuffer encode() {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(FIXED_LENGTH + t.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).put((byte) VERSION).put((byte) 0).putShort((short) t.length).putInt(partition)
                .putLong(lastOffset).putLong(lastDataLsn).putLong(records).putLong(bytes).put(t);
        return b.flip();
    }

    public static JournalRestartArea decode(ByteBuffer data) {
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int size = b.remaining();
        if (size < FIXED_LENGTH) {
            throw new JournalFormatException("journal restart area of " + size + " bytes is shorter than its fixed part ("
                    + FIXED_LENGTH + " bytes)");
        }
        int magic = b.getInt();
        if (magic != MAGIC) {
            throw new JournalFormatException(String.format(
                    "not a journal restart area: magic 0x%08x, expected 0x%08x (\"CLSR\")", magic, MAGIC));
        }
        int version = b.get();
        if (version != VERSION) {
            throw new JournalFormatException("unsupported journal restart area version " + version + ", expected "
                    + VERSION);
        }
        b.get();
        int topicLength = Short.toUnsignedInt(b.getShort());
        if (topicLength != size - FIXED_LENGTH) {
            throw new JournalFormatException("journal restart area topic length " + topicLength + " does not match the "
                    + (size - FIXED_LENGTH) + " bytes after the fixed part");
        }
        int partition = b.getInt();
        long lastOffset = b.getLong();
        long lastDataLsn = b.getLong();
        long records = b.getLong();
        long bytes = b.getLong();
        byte[] t = new byte[topicLength];
        b.get(t);
        return new JournalRestartArea(new String(t, StandardCharsets.UTF_8), partition, lastOffset, lastDataLsn,
                records, bytes);
    }

    @Override
    public String toString() {
        return topic + "-" + partition + " last offset " + lastOffset + " at " + Lsn.toString(lastDataLsn) + ", "
                + records + " records, " + bytes + " bytes";
    }
}

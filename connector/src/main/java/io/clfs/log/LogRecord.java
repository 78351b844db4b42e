package io.clfs.log;

import java.nio.ByteBuffer;

/**
 * A record read from the log. {@code data} is a read-only buffer owned by the record.
 */
public record LogRecord(long lsn, RecordType type, String stream, long previous, long undoNext, ByteBuffer data) {
    public byte[] bytes() {
        ByteBuffer d = data.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    @Override
    public String toString() {
        return type + "@" + Lsn.toString(lsn) + "[" + data.remaining() + " bytes]";
    }
}

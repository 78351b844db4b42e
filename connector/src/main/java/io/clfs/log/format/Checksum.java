package io.clfs.log.format;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C over a byte range of a buffer. One instance per thread of use: it keeps its CRC state so
 * that the write path allocates nothing. The buffer's position and limit are left as they were.
 */
public final class Checksum {
    private final CRC32C crc = new CRC32C();

    public int of(ByteBuffer buffer, int from, int to) {
        int position = buffer.position();
        int limit = buffer.limit();
        try {
            buffer.limit(to).position(from);
            crc.reset();
            crc.update(buffer);
            return (int) crc.getValue();
        } finally {
            buffer.limit(limit).position(position);
        }
    }
}

package io.clfs.log.format;

import java.nio.ByteBuffer;

/**
 * The first 512 bytes of every container file, written once when the file is made. Little-endian.
 * <pre>
 *  0 u64 magic        'CLFSCONT'
 *  8 u16 version
 * 10 u16 zero
 * 12 u32 physicalId
 * 16 u64 logId (high)
 * 24 u64 logId (low)
 * 32 u64 containerSize
 * 40 u32 crc32c       over bytes [0, 40)
 * 44 .. 512           zero
 * </pre>
 */
public final class ContainerHeader {
    public static final long MAGIC = 0x544E4F4353464C43L; // "CLFSCONT" little-endian
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int ZERO_OFFSET = 10;
    public static final int PHYSICAL_ID_OFFSET = 12;
    public static final int LOG_ID_HI_OFFSET = 16;
    public static final int LOG_ID_LO_OFFSET = 24;
    public static final int SIZE_OFFSET = 32;
    public static final int CRC_OFFSET = 40;

    private ContainerHeader() {
    }

    public static void write(ByteBuffer b, int physicalId, long logIdHi, long logIdLo, long containerSize,
                             Checksum checksum) {
        b.putLong(MAGIC_OFFSET, MAGIC);
        b.putShort(VERSION_OFFSET, (short) Layout.FORMAT_VERSION);
        b.putShort(ZERO_OFFSET, (short) 0);
        b.putInt(PHYSICAL_ID_OFFSET, physicalId);
        b.putLong(LOG_ID_HI_OFFSET, logIdHi);
        b.putLong(LOG_ID_LO_OFFSET, logIdLo);
        b.putLong(SIZE_OFFSET, containerSize);
        b.putInt(CRC_OFFSET, checksum.of(b, MAGIC_OFFSET, CRC_OFFSET));
    }

    /** Null when the header belongs to this log and physical container, else what was expected. */
    public static String check(ByteBuffer b, int physicalId, long logIdHi, long logIdLo, long containerSize,
                               Checksum checksum) {
        if (b.limit() < Layout.CONTAINER_HEADER_SIZE || b.getLong(MAGIC_OFFSET) != MAGIC) {
            return "expected container magic";
        }
        if (b.getInt(CRC_OFFSET) != checksum.of(b, MAGIC_OFFSET, CRC_OFFSET)) {
            return "container header checksum mismatch";
        }
        if ((b.getShort(VERSION_OFFSET) & 0xFFFF) != Layout.FORMAT_VERSION) {
            return "expected format version " + Layout.FORMAT_VERSION + ", found " + (b.getShort(VERSION_OFFSET) & 0xFFFF);
        }
        if (b.getInt(PHYSICAL_ID_OFFSET) != physicalId) {
            return "expected physical container " + physicalId + ", found " + b.getInt(PHYSICAL_ID_OFFSET);
        }
        if (b.getLong(LOG_ID_HI_OFFSET) != logIdHi || b.getLong(LOG_ID_LO_OFFSET) != logIdLo) {
            return "expected the log id of this log's metadata";
        }
        if (b.getLong(SIZE_OFFSET) != containerSize) {
            return "expected container size " + containerSize + ", found " + b.getLong(SIZE_OFFSET);
        }
        return null;
    }
}

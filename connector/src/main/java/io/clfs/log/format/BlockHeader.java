package io.clfs.log.format;

import java.nio.ByteBuffer;

/**
 * The 64-byte header that starts every block, at a 512-byte aligned container offset. Little-endian.
 * <pre>
 *  0 u32 magic            'CLFB'
 *  4 u32 crc32c           over bytes [8, blockLength)
 *  8 u32 blockLength      multiple of 512, header and padding included
 * 12 u32 dataLength       header plus records; records occupy [64, dataLength)
 * 16 u32 logicalContainer the container this block was written for
 * 20 u32 recordCount
 * 24 u64 sequence         previous block's sequence + 1, across containers
 * 32 u64 epoch            owner epoch of the writer; never lower than the previous block's
 * 40 .. 64                zero
 * </pre>
 * Static accessors over a buffer and a base offset, so that no object is made per block.
 */
public final class BlockHeader {
    public static final int MAGIC = 0x42464C43; // "CLFB" little-endian
    public static final int MAGIC_OFFSET = 0;
    public static final int CRC_OFFSET = 4;
    public static final int LENGTH_OFFSET = 8;
    public static final int DATA_LENGTH_OFFSET = 12;
    public static final int CONTAINER_OFFSET = 16;
    public static final int RECORD_COUNT_OFFSET = 20;
    public static final int SEQUENCE_OFFSET = 24;
    public static final int EPOCH_OFFSET = 32;
    /** Reserved bytes from here to the end of the header, written as zero. */
    public static final int RESERVED_OFFSET = 40;
    public static final int CHECKED_FROM = 8;

    private BlockHeader() {
    }

    public static void write(ByteBuffer b, int at, int blockLength, int dataLength, long container, int records,
                             long sequence, long epoch) {
        b.putInt(at + MAGIC_OFFSET, MAGIC);
        b.putInt(at + LENGTH_OFFSET, blockLength);
        b.putInt(at + DATA_LENGTH_OFFSET, dataLength);
        b.putInt(at + CONTAINER_OFFSET, (int) container);
        b.putInt(at + RECORD_COUNT_OFFSET, records);
        b.putLong(at + SEQUENCE_OFFSET, sequence);
        b.putLong(at + EPOCH_OFFSET, epoch);
        for (int i = RESERVED_OFFSET; i < Layout.BLOCK_HEADER_SIZE; i += Long.BYTES) {
            b.putLong(at + i, 0L);
        }
    }

    public static void seal(ByteBuffer b, int at, Checksum checksum) {
        int length = blockLength(b, at);
        b.putInt(at + CRC_OFFSET, checksum.of(b, at + CHECKED_FROM, at + length));
    }

    public static int blockLength(ByteBuffer b, int at) {
        return b.getInt(at + LENGTH_OFFSET);
    }

    public static int dataLength(ByteBuffer b, int at) {
        return b.getInt(at + DATA_LENGTH_OFFSET);
    }

    public static long container(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at + CONTAINER_OFFSET));
    }

    public static int recordCount(ByteBuffer b, int at) {
        return b.getInt(at + RECORD_COUNT_OFFSET);
    }

    public static long sequence(ByteBuffer b, int at) {
        return b.getLong(at + SEQUENCE_OFFSET);
    }

    public static long epoch(ByteBuffer b, int at) {
        return b.getLong(at + EPOCH_OFFSET);
    }

    /**
     * Checks the header fields that can be checked before the whole block is read: magic, and the
     * length against the sector size and {@code maxLength} (the bytes left in the container).
     * Returns null when they hold, else what was expected.
     */
    public static String checkHeader(ByteBuffer b, int at, long maxLength, long expectedContainer) {
        if (b.getInt(at + MAGIC_OFFSET) != MAGIC) {
            return "expected block magic";
        }
        long length = Integer.toUnsignedLong(blockLength(b, at));
        if (length < Layout.SECTOR || length % Layout.SECTOR != 0 || length > maxLength) {
            return "expected a block length that is a multiple of " + Layout.SECTOR + " and at most " + maxLength
                    + ", found " + length;
        }
        long data = Integer.toUnsignedLong(dataLength(b, at));
        if (data < Layout.BLOCK_HEADER_SIZE || data > length) {
            return "expected a data length from " + Layout.BLOCK_HEADER_SIZE + " to the block length " + length + ", found " + data;
        }
        if (container(b, at) != expectedContainer) {
            return "expected logical container " + expectedContainer + ", found " + container(b, at);
        }
        return null;
    }

    /** Checks the CRC of a block whose bytes [at, at + blockLength) are in {@code b}. */
    public static String checkCrc(ByteBuffer b, int at, Checksum checksum) {
        int length = blockLength(b, at);
        int stored = b.getInt(at + CRC_OFFSET);
        int actual = checksum.of(b, at + CHECKED_FROM, at + length);
        return stored == actual ? null : "block checksum mismatch";
    }
}

package io.clfs.log.format;

import java.nio.ByteBuffer;

/**
 * The 40-byte header before every record's payload, 8-byte aligned inside its block. Little-endian.
 * <pre>
 *  0 u32 length           header plus payload, without the alignment padding
 *  4 u32 crc32c           over bytes [8, length)
 *  8 u8  type             1 data, 2 restart
 *  9 u8  flags            zero
 * 10 u16 stream           stream id (0 in a dedicated log)
 * 12 u32 offsetInBlock    distance back to the block start, so an LSN finds its block
 * 16 u64 previous         previous-LSN link
 * 24 u64 undoNext         undo-next-LSN link
 * 32 u32 logicalContainer same as the block's
 * 36 u32 zero
 * 40     payload
 * </pre>
 */
public final class RecordHeader {
    public static final int LENGTH_OFFSET = 0;
    public static final int CRC_OFFSET = 4;
    public static final int TYPE_OFFSET = 8;
    public static final int FLAGS_OFFSET = 9;
    public static final int STREAM_OFFSET = 10;
    public static final int OFFSET_IN_BLOCK_OFFSET = 12;
    public static final int PREVIOUS_OFFSET = 16;
    public static final int UNDO_NEXT_OFFSET = 24;
    public static final int CONTAINER_OFFSET = 32;
    public static final int ZERO_OFFSET = 36;
    public static final int CHECKED_FROM = 8;
    /** Record type codes: a client's data record, and a restart record that a restart area names. */
    public static final int TYPE_DATA = 1;
    public static final int TYPE_RESTART = 2;

    private RecordHeader() {
    }

    public static void write(ByteBuffer b, int at, int length, int type, int stream, int offsetInBlock,
                             long previous, long undoNext, long container) {
        b.putInt(at + LENGTH_OFFSET, length);
        b.put(at + TYPE_OFFSET, (byte) type);
        b.put(at + FLAGS_OFFSET, (byte) 0);
        b.putShort(at + STREAM_OFFSET, (short) stream);
        b.putInt(at + OFFSET_IN_BLOCK_OFFSET, offsetInBlock);
        b.putLong(at + PREVIOUS_OFFSET, previous);
        b.putLong(at + UNDO_NEXT_OFFSET, undoNext);
        b.putInt(at + CONTAINER_OFFSET, (int) container);
        b.putInt(at + ZERO_OFFSET, 0);
    }

    public static void seal(ByteBuffer b, int at, Checksum checksum) {
        b.putInt(at + CRC_OFFSET, checksum.of(b, at + CHECKED_FROM, at + length(b, at)));
    }

    public static int length(ByteBuffer b, int at) {
        return b.getInt(at + LENGTH_OFFSET);
    }

    public static int type(ByteBuffer b, int at) {
        return b.get(at + TYPE_OFFSET) & 0xFF;
    }

    public static int stream(ByteBuffer b, int at) {
        return b.getShort(at + STREAM_OFFSET) & 0xFFFF;
    }

    public static int offsetInBlock(ByteBuffer b, int at) {
        return b.getInt(at + OFFSET_IN_BLOCK_OFFSET);
    }

    public static long previous(ByteBuffer b, int at) {
        return b.getLong(at + PREVIOUS_OFFSET);
    }

    public static long undoNext(ByteBuffer b, int at) {
        return b.getLong(at + UNDO_NEXT_OFFSET);
    }

    public static long container(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at + CONTAINER_OFFSET));
    }

    /**
     * Checks only that a record at {@code at} has its header and its length inside the block's data
     * (ending at {@code dataEnd}): enough to step over it. Returns null when it holds, else what was expected.
     */
    public static String checkBounds(ByteBuffer b, int at, int dataEnd) {
        if ((long) at + Layout.RECORD_HEADER_SIZE > dataEnd) {
            return "expected a record header within the block's data";
        }
        long length = Integer.toUnsignedLong(length(b, at));
        if (length < Layout.RECORD_HEADER_SIZE || at + length > dataEnd) {
            return "expected a record length from " + Layout.RECORD_HEADER_SIZE + " to " + (dataEnd - at) + ", found " + length;
        }
        return null;
    }

    /**
     * Checks a record at {@code at} inside a block whose records end at {@code dataEnd} (both buffer
     * offsets) and which starts at {@code blockStart}. Returns null when it holds, else what was expected.
     */
    public static String check(ByteBuffer b, int blockStart, int at, int dataEnd, long expectedContainer,
                               Checksum checksum) {
        String bounds = checkBounds(b, at, dataEnd);
        if (bounds != null) {
            return bounds;
        }
        long length = Integer.toUnsignedLong(length(b, at));
        if (offsetInBlock(b, at) != at - blockStart) {
            return "expected the record's block offset " + (at - blockStart) + ", found " + offsetInBlock(b, at);
        }
        int type = type(b, at);
        if ((type != TYPE_DATA && type != TYPE_RESTART) || b.get(at + FLAGS_OFFSET) != 0
                || b.getInt(at + ZERO_OFFSET) != 0) {
            return "expected record type " + TYPE_DATA + " or " + TYPE_RESTART + " and zero flags, found type " + type;
        }
        if (container(b, at) != expectedContainer) {
            return "expected logical container " + expectedContainer + " in the record, found " + container(b, at);
        }
        int stored = b.getInt(at + CRC_OFFSET);
        if (stored != checksum.of(b, at + CHECKED_FROM, (int) (at + length))) {
            return "record checksum mismatch";
        }
        return null;
    }
}

package io.clfs.log.format;

/**
 * Sizes and hard maxima of the on-disk format. Every length, offset and count read from a file is
 * checked against these and the real buffer size, never against another field of the same file.
 */
public final class Layout {
    public static final int FORMAT_VERSION = 1;
    /** The metadata's version when it records a fence or a stale file (see {@link MetadataLayout}). */
    public static final int FENCED_METADATA_VERSION = 2;
    /** Epochs stored in 32 bits (a container's file epoch) stay below this. */
    public static final long MAX_FILE_EPOCH = 0xFFFF_FFFFL;
    public static final int SECTOR = 512;
    public static final int CONTAINER_HEADER_SIZE = SECTOR;
    public static final int BLOCK_HEADER_SIZE = 64;
    public static final int RECORD_HEADER_SIZE = 40;
    public static final int RECORD_ALIGNMENT = 8;
    public static final int METADATA_SLOT_SIZE = 64 << 10;
    public static final int MAX_CONTAINERS = 1024;
    public static final int MAX_STREAMS = 256;
    public static final int MAX_STREAM_NAME = 128;
    public static final int MAX_FILE_AFFIX = 31;
    /** The name of the one stream of a dedicated log. */
    public static final String DEDICATED_STREAM_NAME = "default";
    /** The largest block: one record that fills a maximal container. */
    public static final long MAX_BLOCK_LENGTH = (1L << 31) - CONTAINER_HEADER_SIZE;

    private Layout() {
    }

    public static long alignUp(long value, int alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    /** Bytes a record with {@code payload} bytes takes inside a block. */
    public static long recordSpace(long payload) {
        return alignUp(RECORD_HEADER_SIZE + payload, RECORD_ALIGNMENT);
    }

    /** Bytes of a block holding records of {@code recordBytes} in all: header plus padding to the sector. */
    public static long blockLength(long recordBytes) {
        return alignUp(BLOCK_HEADER_SIZE + recordBytes, SECTOR);
    }
}

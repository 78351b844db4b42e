package io.clfs.log.format;

/**
 * One metadata copy ("slot"): the log file {@code clfs.meta} holds two, at offsets 0 and
 * {@link Layout#METADATA_SLOT_SIZE}. Little-endian.
 * <pre>
 *   0 u32 magic 'CLFM'          4 u32 crc32c over [8, length)   8 u32 length
 *  12 u16 version              14 u16 slot index (0 or 1)       16 u64 generation
 *  24 u64 log id high          32 u64 log id low                40 u8 kind (0 dedicated, 1 multiplexed)
 *  41 u8 archive enabled       42 u16 zero, 44 u32 zero         48 u64 owner epoch
 *  56 u64 vouched end LSN      64 u64 container size            72 u32 block size
 *  76 u32 min containers       80 u32 max containers            84 u32 growth step
 *  88 u32 free-space target %  92 u32 auto-shrink %             96 u8 + 31 bytes container prefix
 * 128 u8 + 31 bytes suffix    160 u64 checkpoint position      168 u64 checkpoint sequence
 * 176 u64 checkpoint epoch    184 u32 container count          188 u32 stream count
 * 192 u32 flags (bit 0: closed cleanly)                        196 u32 zero
 * 200 u64 fence epoch: owner epoch of the newest unclean open (0 none)
 * 208 u64 fence position      216 u64 fence sequence           224 u64 fence epoch of the block before it
 * 232 .. 256 zero
 * 256 container entries, 16 bytes each: u32 physical id, u32 logical id (0 = free),
 *     u32 fence offset (where a takeover cut the chain in this container; 0 none),
 *     u32 file epoch (owner epoch of the writer that created the file)
 *     stream entries, 184 bytes each: u16 id, u16 name length, u32 zero, u64 base, u64 archive tail,
 *     u64 restart LSN, u64 last LSN, u64 last data LSN (both as of the checkpoint), u64 zero, name[128]
 * </pre>
 * Version 2 is written when a fence offset is set or a file epoch is below the fence epoch (a stale
 * file): an engine that reads only version 1 then refuses the log instead of following the chain
 * into a fenced writer's blocks. Otherwise version 1, whose readers ignore bytes 192..256 and the
 * entries' last 8 bytes. Offsets of entry fields are from the entry's start. The codec that maps a copy onto the engine's
 * model is {@code io.clfs.log.engine.MetadataCodec}.
 */
public final class MetadataLayout {
    public static final int MAGIC = 0x4D464C43; // "CLFM"
    public static final int MAGIC_OFFSET = 0;
    public static final int CRC_OFFSET = 4;
    public static final int LENGTH_OFFSET = 8;
    /** The checksum covers the copy from here to its length. */
    public static final int CHECKED_FROM = 8;
    public static final int VERSION_OFFSET = 12;
    public static final int SLOT_OFFSET = 14;
    public static final int GENERATION_OFFSET = 16;
    public static final int LOG_ID_HI_OFFSET = 24;
    public static final int LOG_ID_LO_OFFSET = 32;
    /** Kind codes: the ordinal of the log kind. */
    public static final int KIND_OFFSET = 40;
    public static final int KIND_DEDICATED = 0;
    public static final int KIND_MULTIPLEXED = 1;
    public static final int ARCHIVE_OFFSET = 41;
    public static final int OWNER_EPOCH_OFFSET = 48;
    public static final int VOUCHED_END_OFFSET = 56;
    public static final int CONTAINER_SIZE_OFFSET = 64;
    public static final int BLOCK_SIZE_OFFSET = 72;
    public static final int MIN_CONTAINERS_OFFSET = 76;
    public static final int MAX_CONTAINERS_OFFSET = 80;
    public static final int GROWTH_STEP_OFFSET = 84;
    public static final int FREE_SPACE_TARGET_OFFSET = 88;
    public static final int AUTO_SHRINK_OFFSET = 92;
    /** A file-name affix: a length byte, then up to {@link Layout#MAX_FILE_AFFIX} bytes of UTF-8. */
    public static final int PREFIX_OFFSET = 96;
    public static final int SUFFIX_OFFSET = 128;
    public static final int CHECKPOINT_POSITION_OFFSET = 160;
    public static final int CHECKPOINT_SEQUENCE_OFFSET = 168;
    public static final int CHECKPOINT_EPOCH_OFFSET = 176;
    public static final int CONTAINER_COUNT_OFFSET = 184;
    public static final int STREAM_COUNT_OFFSET = 188;
    public static final int FLAGS_OFFSET = 192;
    public static final int FLAG_CLOSED_CLEANLY = 1;
    public static final int FENCE_EPOCH_OFFSET = 200;
    public static final int FENCE_POSITION_OFFSET = 208;
    public static final int FENCE_SEQUENCE_OFFSET = 216;
    public static final int FENCE_BLOCK_EPOCH_OFFSET = 224;
    public static final int HEADER_SIZE = 256;

    public static final int CONTAINER_ENTRY_SIZE = 16;
    public static final int ENTRY_PHYSICAL_ID_OFFSET = 0;
    public static final int ENTRY_LOGICAL_ID_OFFSET = 4;
    public static final int ENTRY_FENCE_OFFSET_OFFSET = 8;
    public static final int ENTRY_FILE_EPOCH_OFFSET = 12;

    public static final int STREAM_ENTRY_SIZE = 184;
    public static final int STREAM_ID_OFFSET = 0;
    public static final int STREAM_NAME_LENGTH_OFFSET = 2;
    public static final int STREAM_BASE_OFFSET = 8;
    public static final int STREAM_ARCHIVE_TAIL_OFFSET = 16;
    public static final int STREAM_RESTART_OFFSET = 24;
    public static final int STREAM_LAST_LSN_OFFSET = 32;
    public static final int STREAM_LAST_DATA_LSN_OFFSET = 40;
    public static final int STREAM_NAME_OFFSET = 56;

    private MetadataLayout() {
    }

    /** The length of a copy listing this many containers and streams. */
    public static long encodedLength(long containers, long streams) {
        return HEADER_SIZE + containers * CONTAINER_ENTRY_SIZE + streams * STREAM_ENTRY_SIZE;
    }
}

package io.clfs.log.format;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogKind;
import io.clfs.log.LogPolicy;
import io.clfs.log.Lsn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
 * 192 .. 256 zero
 * 256 container entries, 16 bytes each: u32 physical id, u32 logical id (0 = free), u64 zero
 *     stream entries, 184 bytes each: u16 id, u16 name length, u32 zero, u64 base, u64 archive tail,
 *     u64 restart LSN, u64 last LSN, u64 last data LSN (both as of the checkpoint), u64 zero, name[128]
 * </pre>
 * Decoding checks the checksum first, then every length and count against the real buffer and the
 * fixed maxima of {@link Layout}; it never trusts one field of the file to bound another.
 */
public final class MetadataCodec {
    public static final int MAGIC = 0x4D464C43; // "CLFM"
    static final int CRC_OFFSET = 4;
    public static final int LENGTH_OFFSET = 8;
    static final int VERSION_OFFSET = 12;
    static final int SLOT_OFFSET = 14;
    public static final int GENERATION_OFFSET = 16;
    static final int LOG_ID_OFFSET = 24;
    static final int KIND_OFFSET = 40;
    static final int ARCHIVE_OFFSET = 41;
    static final int OWNER_EPOCH_OFFSET = 48;
    static final int VOUCHED_END_OFFSET = 56;
    static final int POLICY_OFFSET = 64;
    static final int PREFIX_OFFSET = 96;
    static final int SUFFIX_OFFSET = 128;
    static final int CHECKPOINT_OFFSET = 160;
    static final int CONTAINER_COUNT_OFFSET = 184;
    static final int STREAM_COUNT_OFFSET = 188;
    public static final int HEADER_SIZE = 256;
    public static final int CONTAINER_ENTRY_SIZE = 16;
    public static final int STREAM_ENTRY_SIZE = 184;
    static final int STREAM_NAME_OFFSET = 56;

    private MetadataCodec() {
    }

    public static int encodedLength(Metadata m) {
        return HEADER_SIZE + m.containers().size() * CONTAINER_ENTRY_SIZE + m.streams().size() * STREAM_ENTRY_SIZE;
    }

    /** Encodes into a fresh buffer of the slot's length rounded up to the sector. */
    public static ByteBuffer encode(Metadata m, int slot) {
        if (m.containers().size() > Layout.MAX_CONTAINERS || m.streams().size() > Layout.MAX_STREAMS) {
            throw new IllegalArgumentException("metadata over its maxima: " + m.containers().size()
                    + " containers, " + m.streams().size() + " streams");
        }
        int length = encodedLength(m);
        ByteBuffer b = ByteBuffer.allocate((int) Layout.alignUp(length, Layout.SECTOR)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, MAGIC);
        b.putInt(LENGTH_OFFSET, length);
        b.putShort(VERSION_OFFSET, (short) Layout.FORMAT_VERSION);
        b.putShort(SLOT_OFFSET, (short) slot);
        b.putLong(GENERATION_OFFSET, m.generation());
        b.putLong(LOG_ID_OFFSET, m.logIdHi());
        b.putLong(LOG_ID_OFFSET + 8, m.logIdLo());
        b.put(KIND_OFFSET, (byte) m.kind().ordinal());
        b.put(ARCHIVE_OFFSET, (byte) (m.archiveEnabled() ? 1 : 0));
        b.putLong(OWNER_EPOCH_OFFSET, m.ownerEpoch());
        b.putLong(VOUCHED_END_OFFSET, m.vouchedEnd());
        LogPolicy p = m.policy();
        b.putLong(POLICY_OFFSET, p.containerSize());
        b.putInt(POLICY_OFFSET + 8, p.blockSize());
        b.putInt(POLICY_OFFSET + 12, p.minContainers());
        b.putInt(POLICY_OFFSET + 16, p.maxContainers());
        b.putInt(POLICY_OFFSET + 20, p.growthStep());
        b.putInt(POLICY_OFFSET + 24, p.freeSpaceTargetPercent());
        b.putInt(POLICY_OFFSET + 28, p.autoShrinkPercent());
        putName(b, PREFIX_OFFSET, p.containerPrefix(), Layout.MAX_FILE_AFFIX);
        putName(b, SUFFIX_OFFSET, p.containerSuffix(), Layout.MAX_FILE_AFFIX);
        b.putLong(CHECKPOINT_OFFSET, m.checkpoint().position());
        b.putLong(CHECKPOINT_OFFSET + 8, m.checkpoint().sequence());
        b.putLong(CHECKPOINT_OFFSET + 16, m.checkpoint().epoch());
        b.putInt(CONTAINER_COUNT_OFFSET, m.containers().size());
        b.putInt(STREAM_COUNT_OFFSET, m.streams().size());
        int at = HEADER_SIZE;
        for (Metadata.ContainerEntry c : m.containers()) {
            b.putInt(at, c.physicalId());
            b.putInt(at + 4, (int) c.logicalId());
            at += CONTAINER_ENTRY_SIZE;
        }
        for (Metadata.StreamEntry s : m.streams()) {
            byte[] name = s.name().getBytes(StandardCharsets.UTF_8);
            b.putShort(at, (short) s.id());
            b.putShort(at + 2, (short) name.length);
            b.putLong(at + 8, s.base());
            b.putLong(at + 16, s.archiveTail());
            b.putLong(at + 24, s.restartLsn());
            b.putLong(at + 32, s.lastLsn());
            b.putLong(at + 40, s.lastDataLsn());
            b.put(at + STREAM_NAME_OFFSET, name, 0, name.length);
            at += STREAM_ENTRY_SIZE;
        }
        b.putInt(CRC_OFFSET, new Checksum().of(b, 8, length));
        return b;
    }

    private static void putName(ByteBuffer b, int at, String name, int max) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > max) {
            throw new IllegalArgumentException("name longer than " + max + " bytes: " + name);
        }
        b.put(at, (byte) bytes.length);
        b.put(at + 1, bytes, 0, bytes.length);
    }

    /** Thrown by {@link #decode}: the reason and the byte offset inside the slot. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        private final int offset;

        Invalid(int offset, String expected) {
            super(expected, null, false, false);
            this.offset = offset;
        }

        public int offset() {
            return offset;
        }
    }

    /** Decodes one slot read into {@code b} (limit = bytes actually read). */
    public static Metadata decode(ByteBuffer raw, int slot) throws Invalid {
        ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.position(0);
        int available = b.limit();
        if (available < HEADER_SIZE) {
            throw new Invalid(0, "expected at least " + HEADER_SIZE + " bytes, found " + available);
        }
        if (b.getInt(0) != MAGIC) {
            throw new Invalid(0, "expected metadata magic");
        }
        long length = Integer.toUnsignedLong(b.getInt(LENGTH_OFFSET));
        if (length < HEADER_SIZE || length > Layout.METADATA_SLOT_SIZE || length > available) {
            throw new Invalid(LENGTH_OFFSET, "expected a length from " + HEADER_SIZE + " to "
                    + Math.min(available, Layout.METADATA_SLOT_SIZE) + ", found " + length);
        }
        if (b.getInt(CRC_OFFSET) != new Checksum().of(b, 8, (int) length)) {
            throw new Invalid(CRC_OFFSET, "metadata checksum mismatch");
        }
        int version = b.getShort(VERSION_OFFSET) & 0xFFFF;
        if (version != Layout.FORMAT_VERSION) {
            throw new Invalid(VERSION_OFFSET, "unsupported format version " + version + " (this engine reads "
                    + Layout.FORMAT_VERSION + ")");
        }
        if ((b.getShort(SLOT_OFFSET) & 0xFFFF) != slot) {
            throw new Invalid(SLOT_OFFSET, "expected slot index " + slot);
        }
        int kindCode = b.get(KIND_OFFSET);
        int archive = b.get(ARCHIVE_OFFSET);
        if (kindCode < 0 || kindCode >= LogKind.values().length || archive < 0 || archive > 1) {
            throw new Invalid(KIND_OFFSET, "expected kind 0 or 1 and archive flag 0 or 1");
        }
        long containerCount = Integer.toUnsignedLong(b.getInt(CONTAINER_COUNT_OFFSET));
        long streamCount = Integer.toUnsignedLong(b.getInt(STREAM_COUNT_OFFSET));
        if (containerCount < 2 || containerCount > Layout.MAX_CONTAINERS) {
            throw new Invalid(CONTAINER_COUNT_OFFSET, "expected 2 to " + Layout.MAX_CONTAINERS + " containers, found " + containerCount);
        }
        if (streamCount > Layout.MAX_STREAMS) {
            throw new Invalid(STREAM_COUNT_OFFSET, "expected at most " + Layout.MAX_STREAMS + " streams, found " + streamCount);
        }
        long expected = HEADER_SIZE + containerCount * CONTAINER_ENTRY_SIZE + streamCount * STREAM_ENTRY_SIZE;
        if (expected != length) {
            throw new Invalid(LENGTH_OFFSET, "expected length " + expected + " for " + containerCount
                    + " containers and " + streamCount + " streams, found " + length);
        }
        LogPolicy policy;
        try {
            policy = new LogPolicy(b.getLong(POLICY_OFFSET), b.getInt(POLICY_OFFSET + 8), b.getInt(POLICY_OFFSET + 12),
                    b.getInt(POLICY_OFFSET + 16), b.getInt(POLICY_OFFSET + 20), b.getInt(POLICY_OFFSET + 24),
                    b.getInt(POLICY_OFFSET + 28), getName(b, PREFIX_OFFSET, Layout.MAX_FILE_AFFIX),
                    getName(b, SUFFIX_OFFSET, Layout.MAX_FILE_AFFIX));
        } catch (IllegalArgumentException e) {
            throw new Invalid(POLICY_OFFSET, "expected valid policies: " + e.getMessage());
        }
        List<Metadata.ContainerEntry> containers = new ArrayList<>((int) containerCount);
        Set<Integer> physical = new HashSet<>();
        Set<Long> logical = new HashSet<>();
        int at = HEADER_SIZE;
        for (int i = 0; i < containerCount; i++, at += CONTAINER_ENTRY_SIZE) {
            int physicalId = b.getInt(at);
            long logicalId = Integer.toUnsignedLong(b.getInt(at + 4));
            if (physicalId < 0 || physicalId >= Layout.MAX_CONTAINERS || !physical.add(physicalId)) {
                throw new Invalid(at, "expected a unique physical container id below " + Layout.MAX_CONTAINERS);
            }
            if (logicalId == 0xFFFF_FFFFL || (logicalId != 0 && !logical.add(logicalId))) {
                throw new Invalid(at + 4, "expected a unique logical container id, found " + logicalId);
            }
            containers.add(new Metadata.ContainerEntry(physicalId, logicalId));
        }
        if (logical.isEmpty()) {
            throw new Invalid(HEADER_SIZE, "expected at least one container in use");
        }
        long lo = logical.stream().mapToLong(Long::longValue).min().orElseThrow();
        long hi = logical.stream().mapToLong(Long::longValue).max().orElseThrow();
        if (hi - lo + 1 != logical.size()) {
            throw new Invalid(HEADER_SIZE, "expected contiguous logical container ids, found " + logical.size()
                    + " ids from " + lo + " to " + hi);
        }
        List<Metadata.StreamEntry> streams = new ArrayList<>((int) streamCount);
        Set<Integer> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < streamCount; i++, at += STREAM_ENTRY_SIZE) {
            int id = b.getShort(at) & 0xFFFF;
            int nameLength = b.getShort(at + 2) & 0xFFFF;
            if (id >= Layout.MAX_STREAMS || !ids.add(id)) {
                throw new Invalid(at, "expected a unique stream id below " + Layout.MAX_STREAMS);
            }
            if (nameLength > Layout.MAX_STREAM_NAME) {
                throw new Invalid(at + 2, "expected a stream name of at most " + Layout.MAX_STREAM_NAME + " bytes");
            }
            String name = utf8(b, at + STREAM_NAME_OFFSET, nameLength, at + 2);
            if (!names.add(name)) {
                throw new Invalid(at + STREAM_NAME_OFFSET, "expected unique stream names, found '" + name + "' twice");
            }
            streams.add(new Metadata.StreamEntry(id, name, b.getLong(at + 8), b.getLong(at + 16), b.getLong(at + 24),
                    b.getLong(at + 32), b.getLong(at + 40)));
        }
        LogKind kind = LogKind.values()[kindCode];
        if (kind == LogKind.DEDICATED && (streams.size() != 1 || streams.get(0).id() != 0
                || !streams.get(0).name().equals(ClfsLog.DEFAULT_STREAM))) {
            throw new Invalid(STREAM_COUNT_OFFSET, "expected exactly one stream with id 0, named '"
                    + ClfsLog.DEFAULT_STREAM + "', in a dedicated log");
        }
        Metadata.Checkpoint checkpoint = new Metadata.Checkpoint(b.getLong(CHECKPOINT_OFFSET),
                b.getLong(CHECKPOINT_OFFSET + 8), b.getLong(CHECKPOINT_OFFSET + 16));
        long cpContainer = Lsn.container(checkpoint.position());
        if (cpContainer < lo || cpContainer > hi || Lsn.offset(checkpoint.position()) > policy.containerSize()
                || Lsn.offset(checkpoint.position()) < Layout.CONTAINER_HEADER_SIZE) {
            throw new Invalid(CHECKPOINT_OFFSET, "expected a checkpoint inside a container in use, found "
                    + Lsn.toString(checkpoint.position()));
        }
        return new Metadata(b.getLong(GENERATION_OFFSET), b.getLong(LOG_ID_OFFSET), b.getLong(LOG_ID_OFFSET + 8), kind,
                archive == 1, b.getLong(OWNER_EPOCH_OFFSET), b.getLong(VOUCHED_END_OFFSET), policy, checkpoint,
                containers, streams);
    }

    private static String getName(ByteBuffer b, int at, int max) throws Invalid {
        int length = b.get(at) & 0xFF;
        if (length > max) {
            throw new Invalid(at, "expected a file name affix of at most " + max + " bytes");
        }
        return utf8(b, at + 1, length, at);
    }

    private static String utf8(ByteBuffer b, int at, int length, int fieldOffset) throws Invalid {
        ByteBuffer view = b.duplicate();
        view.limit(at + length).position(at);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(view).toString();
        } catch (CharacterCodingException e) {
            throw new Invalid(fieldOffset, "expected UTF-8 text");
        }
    }
}

package io.clfs.log.engine;

import io.clfs.log.LogKind;
import io.clfs.log.LogPolicy;
import io.clfs.log.Lsn;
import io.clfs.log.format.Checksum;
import io.clfs.log.format.Layout;
import io.clfs.log.format.MetadataLayout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.clfs.log.format.MetadataLayout.*;

/**
 * Encodes {@link Metadata} into one metadata copy and decodes it back; the byte layout is
 * {@link io.clfs.log.format.MetadataLayout}. Decoding checks the checksum first, then every length
 * and count against the real buffer and the fixed maxima of {@link Layout}; it never trusts one
 * field of the file to bound another. Stateless.
 */
public final class MetadataCodec {
    private MetadataCodec() {
    }

    public static int encodedLength(Metadata m) {
        return (int) MetadataLayout.encodedLength(m.containers().size(), m.streams().size());
    }

    /** Encodes into a fresh buffer of the slot's length rounded up to the sector. */
    public static ByteBuffer encode(Metadata m, int slot) {
        if (m.containers().size() > Layout.MAX_CONTAINERS || m.streams().size() > Layout.MAX_STREAMS) {
            throw new IllegalArgumentException("metadata over its maxima: " + m.containers().size()
                    + " containers, " + m.streams().size() + " streams");
        }
        int length = encodedLength(m);
        ByteBuffer b = ByteBuffer.allocate((int) Layout.alignUp(length, Layout.SECTOR)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC_OFFSET, MAGIC);
        b.putInt(LENGTH_OFFSET, length);
        b.putShort(VERSION_OFFSET, (short) (needsFencedVersion(m) ? Layout.FENCED_METADATA_VERSION
                : Layout.FORMAT_VERSION));
        b.putShort(SLOT_OFFSET, (short) slot);
        b.putLong(GENERATION_OFFSET, m.generation());
        b.putLong(LOG_ID_HI_OFFSET, m.logIdHi());
        b.putLong(LOG_ID_LO_OFFSET, m.logIdLo());
        b.put(KIND_OFFSET, (byte) (m.kind() == LogKind.DEDICATED ? KIND_DEDICATED : KIND_MULTIPLEXED));
        b.put(ARCHIVE_OFFSET, (byte) (m.archiveEnabled() ? 1 : 0));
        b.putLong(OWNER_EPOCH_OFFSET, m.ownerEpoch());
        b.putLong(VOUCHED_END_OFFSET, m.vouchedEnd());
        LogPolicy p = m.policy();
        b.putLong(CONTAINER_SIZE_OFFSET, p.containerSize());
        b.putInt(BLOCK_SIZE_OFFSET, p.blockSize());
        b.putInt(MIN_CONTAINERS_OFFSET, p.minContainers());
        b.putInt(MAX_CONTAINERS_OFFSET, p.maxContainers());
        b.putInt(GROWTH_STEP_OFFSET, p.growthStep());
        b.putInt(FREE_SPACE_TARGET_OFFSET, p.freeSpaceTargetPercent());
        b.putInt(AUTO_SHRINK_OFFSET, p.autoShrinkPercent());
        putName(b, PREFIX_OFFSET, p.containerPrefix(), Layout.MAX_FILE_AFFIX);
        putName(b, SUFFIX_OFFSET, p.containerSuffix(), Layout.MAX_FILE_AFFIX);
        b.putLong(CHECKPOINT_POSITION_OFFSET, m.checkpoint().position());
        b.putLong(CHECKPOINT_SEQUENCE_OFFSET, m.checkpoint().sequence());
        b.putLong(CHECKPOINT_EPOCH_OFFSET, m.checkpoint().epoch());
        b.putInt(CONTAINER_COUNT_OFFSET, m.containers().size());
        b.putInt(STREAM_COUNT_OFFSET, m.streams().size());
        Metadata.Fencing f = m.fencing();
        b.putInt(FLAGS_OFFSET, f.closedCleanly() ? FLAG_CLOSED_CLEANLY : 0);
        b.putLong(FENCE_EPOCH_OFFSET, f.fenceEpoch());
        b.putLong(FENCE_POSITION_OFFSET, f.fence().position());
        b.putLong(FENCE_SEQUENCE_OFFSET, f.fence().sequence());
        b.putLong(FENCE_BLOCK_EPOCH_OFFSET, f.fence().epoch());
        int at = HEADER_SIZE;
        for (Metadata.ContainerEntry c : m.containers()) {
            b.putInt(at + ENTRY_PHYSICAL_ID_OFFSET, c.physicalId());
            b.putInt(at + ENTRY_LOGICAL_ID_OFFSET, (int) c.logicalId());
            b.putInt(at + ENTRY_FENCE_OFFSET_OFFSET, (int) c.fenceOffset());
            b.putInt(at + ENTRY_FILE_EPOCH_OFFSET, (int) Math.min(c.fileEpoch(), Layout.MAX_FILE_EPOCH));
            at += CONTAINER_ENTRY_SIZE;
        }
        for (Metadata.StreamEntry s : m.streams()) {
            byte[] name = s.name().getBytes(StandardCharsets.UTF_8);
            b.putShort(at + STREAM_ID_OFFSET, (short) s.id());
            b.putShort(at + STREAM_NAME_LENGTH_OFFSET, (short) name.length);
            b.putLong(at + STREAM_BASE_OFFSET, s.base());
            b.putLong(at + STREAM_ARCHIVE_TAIL_OFFSET, s.archiveTail());
            b.putLong(at + STREAM_RESTART_OFFSET, s.restartLsn());
            b.putLong(at + STREAM_LAST_LSN_OFFSET, s.lastLsn());
            b.putLong(at + STREAM_LAST_DATA_LSN_OFFSET, s.lastDataLsn());
            b.put(at + STREAM_NAME_OFFSET, name, 0, name.length);
            at += STREAM_ENTRY_SIZE;
        }
        b.putInt(CRC_OFFSET, new Checksum().of(b, CHECKED_FROM, length));
        return b;
    }

    /** A fence or a stale file: an engine that knows only version 1 must refuse the copy. */
    private static boolean needsFencedVersion(Metadata m) {
        for (Metadata.ContainerEntry c : m.containers()) {
            if (c.fenceOffset() != 0 || m.stale(c)) {
                return true;
            }
        }
        return false;
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
        if (b.getInt(MAGIC_OFFSET) != MAGIC) {
            throw new Invalid(MAGIC_OFFSET, "expected metadata magic");
        }
        long length = Integer.toUnsignedLong(b.getInt(LENGTH_OFFSET));
        if (length < HEADER_SIZE || length > Layout.METADATA_SLOT_SIZE || length > available) {
            throw new Invalid(LENGTH_OFFSET, "expected a length from " + HEADER_SIZE + " to "
                    + Math.min(available, Layout.METADATA_SLOT_SIZE) + ", found " + length);
        }
        if (b.getInt(CRC_OFFSET) != new Checksum().of(b, CHECKED_FROM, (int) length)) {
            throw new Invalid(CRC_OFFSET, "metadata checksum mismatch");
        }
        int version = b.getShort(VERSION_OFFSET) & 0xFFFF;
        if (version != Layout.FORMAT_VERSION && version != Layout.FENCED_METADATA_VERSION) {
            throw new Invalid(VERSION_OFFSET, "unsupported format version " + version + " (this engine reads "
                    + Layout.FORMAT_VERSION + " and " + Layout.FENCED_METADATA_VERSION + ")");
        }
        if ((b.getShort(SLOT_OFFSET) & 0xFFFF) != slot) {
            throw new Invalid(SLOT_OFFSET, "expected slot index " + slot);
        }
        int kindCode = b.get(KIND_OFFSET);
        int archive = b.get(ARCHIVE_OFFSET);
        if ((kindCode != KIND_DEDICATED && kindCode != KIND_MULTIPLEXED) || archive < 0 || archive > 1) {
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
        long expected = MetadataLayout.encodedLength(containerCount, streamCount);
        if (expected != length) {
            throw new Invalid(LENGTH_OFFSET, "expected length " + expected + " for " + containerCount
                    + " containers and " + streamCount + " streams, found " + length);
        }
        LogPolicy policy;
        try {
            policy = new LogPolicy(b.getLong(CONTAINER_SIZE_OFFSET), b.getInt(BLOCK_SIZE_OFFSET),
                    b.getInt(MIN_CONTAINERS_OFFSET), b.getInt(MAX_CONTAINERS_OFFSET), b.getInt(GROWTH_STEP_OFFSET),
                    b.getInt(FREE_SPACE_TARGET_OFFSET), b.getInt(AUTO_SHRINK_OFFSET),
                    getName(b, PREFIX_OFFSET, Layout.MAX_FILE_AFFIX), getName(b, SUFFIX_OFFSET, Layout.MAX_FILE_AFFIX));
        } catch (IllegalArgumentException e) {
            throw new Invalid(CONTAINER_SIZE_OFFSET, "expected valid policies: " + e.getMessage());
        }
        int flags = b.getInt(FLAGS_OFFSET);
        if ((flags & ~FLAG_CLOSED_CLEANLY) != 0) {
            throw new Invalid(FLAGS_OFFSET, "expected only flag bit 0 (closed cleanly), found flags " + flags);
        }
        long fenceEpoch = b.getLong(FENCE_EPOCH_OFFSET);
        if (fenceEpoch < 0 || fenceEpoch > Layout.MAX_FILE_EPOCH) {
            throw new Invalid(FENCE_EPOCH_OFFSET, "expected a fence epoch from 0 to " + Layout.MAX_FILE_EPOCH
                    + ", found " + Long.toUnsignedString(fenceEpoch));
        }
        List<Metadata.ContainerEntry> containers = new ArrayList<>((int) containerCount);
        Set<Integer> physical = new HashSet<>();
        Set<Long> logical = new HashSet<>();
        int at = HEADER_SIZE;
        for (int i = 0; i < containerCount; i++, at += CONTAINER_ENTRY_SIZE) {
            int physicalId = b.getInt(at + ENTRY_PHYSICAL_ID_OFFSET);
            long logicalId = Integer.toUnsignedLong(b.getInt(at + ENTRY_LOGICAL_ID_OFFSET));
            if (physicalId < 0 || physicalId >= Layout.MAX_CONTAINERS || !physical.add(physicalId)) {
                throw new Invalid(at + ENTRY_PHYSICAL_ID_OFFSET, "expected a unique physical container id below "
                        + Layout.MAX_CONTAINERS);
            }
            if (logicalId == 0xFFFF_FFFFL || (logicalId != 0 && !logical.add(logicalId))) {
                throw new Invalid(at + ENTRY_LOGICAL_ID_OFFSET, "expected a unique logical container id, found "
                        + logicalId);
            }
            long fenceOffset = Integer.toUnsignedLong(b.getInt(at + ENTRY_FENCE_OFFSET_OFFSET));
            if (fenceOffset != 0 && (logicalId == 0 || fenceOffset < Layout.CONTAINER_HEADER_SIZE
                    || fenceOffset % Layout.SECTOR != 0 || fenceOffset > policy.containerSize())) {
                throw new Invalid(at + ENTRY_FENCE_OFFSET_OFFSET, "expected no fence offset, or one on a container"
                        + " in use at a 512-byte boundary inside it, found " + fenceOffset);
            }
            containers.add(new Metadata.ContainerEntry(physicalId, logicalId, fenceOffset,
                    Integer.toUnsignedLong(b.getInt(at + ENTRY_FILE_EPOCH_OFFSET))));
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
            int id = b.getShort(at + STREAM_ID_OFFSET) & 0xFFFF;
            int nameLength = b.getShort(at + STREAM_NAME_LENGTH_OFFSET) & 0xFFFF;
            if (id >= Layout.MAX_STREAMS || !ids.add(id)) {
                throw new Invalid(at + STREAM_ID_OFFSET, "expected a unique stream id below " + Layout.MAX_STREAMS);
            }
            if (nameLength > Layout.MAX_STREAM_NAME) {
                throw new Invalid(at + STREAM_NAME_LENGTH_OFFSET, "expected a stream name of at most "
                        + Layout.MAX_STREAM_NAME + " bytes");
            }
            String name = utf8(b, at + STREAM_NAME_OFFSET, nameLength, at + STREAM_NAME_LENGTH_OFFSET);
            if (!names.add(name)) {
                throw new Invalid(at + STREAM_NAME_OFFSET, "expected unique stream names, found '" + name + "' twice");
            }
            streams.add(new Metadata.StreamEntry(id, name, b.getLong(at + STREAM_BASE_OFFSET),
                    b.getLong(at + STREAM_ARCHIVE_TAIL_OFFSET), b.getLong(at + STREAM_RESTART_OFFSET),
                    b.getLong(at + STREAM_LAST_LSN_OFFSET), b.getLong(at + STREAM_LAST_DATA_LSN_OFFSET)));
        }
        LogKind kind = kindCode == KIND_DEDICATED ? LogKind.DEDICATED : LogKind.MULTIPLEXED;
        if (kind == LogKind.DEDICATED && (streams.size() != 1 || streams.get(0).id() != 0
                || !streams.get(0).name().equals(Layout.DEDICATED_STREAM_NAME))) {
            throw new Invalid(STREAM_COUNT_OFFSET, "expected exactly one stream with id 0, named '"
                    + Layout.DEDICATED_STREAM_NAME + "', in a dedicated log");
        }
        Metadata.Checkpoint checkpoint = new Metadata.Checkpoint(b.getLong(CHECKPOINT_POSITION_OFFSET),
                b.getLong(CHECKPOINT_SEQUENCE_OFFSET), b.getLong(CHECKPOINT_EPOCH_OFFSET));
        long cpContainer = Lsn.container(checkpoint.position());
        if (cpContainer < lo || cpContainer > hi || Lsn.offset(checkpoint.position()) > policy.containerSize()
                || Lsn.offset(checkpoint.position()) < Layout.CONTAINER_HEADER_SIZE) {
            throw new Invalid(CHECKPOINT_POSITION_OFFSET, "expected a checkpoint inside a container in use, found "
                    + Lsn.toString(checkpoint.position()));
        }
        return new Metadata(b.getLong(GENERATION_OFFSET), b.getLong(LOG_ID_HI_OFFSET), b.getLong(LOG_ID_LO_OFFSET), kind,
                archive == 1, b.getLong(OWNER_EPOCH_OFFSET), b.getLong(VOUCHED_END_OFFSET), policy, checkpoint,
                containers, streams, new Metadata.Fencing((flags & FLAG_CLOSED_CLEANLY) != 0, fenceEpoch,
                new Metadata.Checkpoint(b.getLong(FENCE_POSITION_OFFSET), b.getLong(FENCE_SEQUENCE_OFFSET),
                        b.getLong(FENCE_BLOCK_EPOCH_OFFSET))));
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

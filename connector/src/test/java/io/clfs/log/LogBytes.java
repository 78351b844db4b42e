package io.clfs.log;

import io.clfs.log.engine.MetadataStore;
import io.clfs.log.engine.ContainerFiles;
import io.clfs.log.format.BlockHeader;
import io.clfs.log.format.Checksum;
import io.clfs.log.format.Layout;
import io.clfs.log.engine.Metadata;
import io.clfs.log.format.RecordHeader;
import io.clfs.log.io.FileIO;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Byte-level access to the files of a log that is not open, for corrupting and crafting them.
 * Public for the crafted-file tests of the connectors and the Streams journal.
 */
public final class LogBytes {
    final Path dir;
    final Metadata meta;

    public LogBytes(Path dir) {
        this.dir = dir;
        this.meta = new MetadataStore(FileIO.real(), dir).readNewest();
    }

    /**
     * Copies a log's files, without its lock files, as a power loss would leave them if every write
     * so far had reached the disk: the writer may still be open on {@code from}.
     */
    public static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : files.filter(f -> !f.getFileName().toString().endsWith(".lock")).toList()) {
                    Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a directory and everything in it. */
    public static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path metadataFile() {
        return dir.resolve(MetadataStore.FILE);
    }

    /** The container file holding {@code lsn}. */
    public Path container(long lsn) {
        int physical = meta.physicalOf(Lsn.container(lsn));
        if (physical < 0) {
            throw new IllegalArgumentException("no container for " + Lsn.toString(lsn));
        }
        return ContainerFiles.path(dir, meta.policy(), physical);
    }

    /** The LSN of the block holding the record at {@code recordLsn}, from the record's offset-in-block field. */
    long blockOf(long recordLsn) {
        ByteBuffer h = read(container(recordLsn), Lsn.offset(recordLsn), Layout.RECORD_HEADER_SIZE);
        return recordLsn - RecordHeader.offsetInBlock(h, 0);
    }

    int blockLength(long blockLsn) {
        return BlockHeader.blockLength(read(container(blockLsn), Lsn.offset(blockLsn), Layout.BLOCK_HEADER_SIZE), 0);
    }

    ByteBuffer read(Path file, long offset, int length) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b, offset + b.position()) >= 0) {
                // keep reading until full or end of file
            }
            return b.flip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, long offset, ByteBuffer data) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer d = data.duplicate();
            while (d.hasRemaining()) {
                ch.write(d, offset + d.position() - data.position());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void flipBit(Path file, long offset, int bit) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ (1 << bit)));
            ch.write(b.rewind(), offset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Rewrites the block at {@code blockLsn} after {@code edit} changed its bytes (a little-endian
     * buffer of the whole block), with every record's checksum and the block's recomputed: a crafted
     * block that passes every checksum.
     */
    void craftBlock(long blockLsn, Consumer<ByteBuffer> edit) {
        Path file = container(blockLsn);
        ByteBuffer b = read(file, Lsn.offset(blockLsn), blockLength(blockLsn));
        edit.accept(b);
        Checksum checksum = new Checksum();
        // The edit may have made the lengths lie: seal only what lies inside the bytes at hand.
        long dataLength = Math.min(Integer.toUnsignedLong(BlockHeader.dataLength(b, 0)), b.limit());
        for (int at = Layout.BLOCK_HEADER_SIZE; at + Layout.RECORD_HEADER_SIZE <= dataLength; ) {
            long length = Integer.toUnsignedLong(RecordHeader.length(b, at));
            if (length < Layout.RECORD_HEADER_SIZE || at + length > dataLength) {
                break; // a crafted length: leave the rest as it is
            }
            RecordHeader.seal(b, at, checksum);
            at += (int) Layout.alignUp(length, Layout.RECORD_ALIGNMENT);
        }
        long blockLength = Integer.toUnsignedLong(BlockHeader.blockLength(b, 0));
        if (blockLength >= BlockHeader.CHECKED_FROM && blockLength <= b.limit()) {
            BlockHeader.seal(b, 0, checksum);
        }
        write(file, Lsn.offset(blockLsn), b.rewind());
    }

    /** Rewrites one record's header fields through {@code edit}, given the record's offset in its block. */
    public void craftRecord(long recordLsn, Consumer<ByteBuffer> editAtRecord) {
        long block = blockOf(recordLsn);
        int at = (int) (recordLsn - block);
        craftBlock(block, b -> editAtRecord.accept(b.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(at).slice()
                .order(ByteOrder.LITTLE_ENDIAN)));
    }
}

package io.clfs.log.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.clfs.log.ClfsException;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogBytes;
import io.clfs.log.LogKind;
import io.clfs.log.LogPolicy;
import io.clfs.log.LogRecord;
import io.clfs.log.ReadContext;
import io.clfs.log.RecordFilter;
import io.clfs.log.format.Checksum;
import io.clfs.log.engine.Metadata;
import io.clfs.log.engine.MetadataCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing of the on-disk parser with Jazzer. Under {@code mvn verify} each test
 * replays its seed inputs (regression mode); {@code JAZZER_FUZZ=1 mvn -pl connector test
 * -Dtest=ParserFuzzTest} fuzzes. Only the engine's typed errors may come out of crafted files.
 */
class ParserFuzzTest {
    private static Path template;
    private static ByteBuffer validSlot;

    @BeforeAll
    static void makeTemplate() throws IOException {
        template = Files.createTempDirectory("clfs-fuzz-template");
        LogPolicy policy = LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096).withContainers(2, 3);
        try (ClfsLog log = ClfsLog.create(template, LogKind.MULTIPLEXED, true, policy)) {
            for (int i = 0; i < 40; i++) {
                log.stream(i % 2 == 0 ? "a" : "b").append(new byte[i * 7]);
            }
            log.stream("a").writeRestartArea(ByteBuffer.wrap(new byte[]{1, 2, 3}));
            log.stream("b").append(new byte[100]);
            log.flush();
        }
        byte[] meta = Files.readAllBytes(template.resolve("clfs.meta"));
        validSlot = ByteBuffer.wrap(meta, 0, 65536).slice().order(ByteOrder.LITTLE_ENDIAN);
        validSlot.limit(validSlot.getInt(8));
    }

    @AfterAll
    static void removeTemplate() throws IOException {
        LogBytes.delete(template);
    }

    /**
     * A valid metadata slot with fuzzer-chosen bytes written over it at a fuzzer-chosen offset, its
     * checksum sealed again (so the fuzzer gets past the CRC to the checks behind it), or raw bytes
     * when the first byte is odd: decoded, or refused with a reason; never another exception.
     */
    @FuzzTest(maxDuration = "30s")
    void metadataSlot(byte[] input) {
        ByteBuffer slot;
        if (input.length < 3 || (input[0] & 1) == 1) {
            slot = ByteBuffer.wrap(input);
        } else {
            slot = ByteBuffer.allocate(validSlot.limit()).put(validSlot.duplicate()).flip();
            int offset = ((input[1] & 0xFF) << 8 | (input[2] & 0xFF)) % slot.limit();
            slot.put(offset, input, 3, Math.min(input.length - 3, slot.limit() - offset));
            long length = Math.min(Integer.toUnsignedLong(slot.order(ByteOrder.LITTLE_ENDIAN).getInt(8)), slot.limit());
            if (length >= 8) {
                slot.putInt(4, new Checksum().of(slot, 8, (int) length));
            }
        }
        try {
            Metadata m = MetadataCodec.decode(slot.order(ByteOrder.LITTLE_ENDIAN), 0);
            MetadataCodec.decode(MetadataCodec.encode(m, 0), 0);
        } catch (MetadataCodec.Invalid expected) {
            // refused: what the parser must do with bad input
        } catch (IllegalArgumentException e) {
            throw new AssertionError("a decoded slot did not encode again", e);
        }
    }

    /**
     * A valid log with fuzzer-chosen bytes written over its metadata or first container; opening it
     * and reading every record either works or fails with a typed {@link ClfsException}.
     */
    @FuzzTest(maxDuration = "30s")
    void mutatedLog(byte[] patch) throws IOException {
        if (patch.length < 5) {
            return;
        }
        Path dir = Files.createTempDirectory("clfs-fuzz");
        try {
            try (Stream<Path> files = Files.list(template)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            boolean metadata = (patch[0] & 1) == 0;
            Path target = dir.resolve(metadata ? "clfs.meta" : "container-000000.clfs");
            long size = Files.size(target);
            // Metadata: anywhere in either copy; container: the first blocks, where the records are.
            long span = metadata ? size : Math.min(size, 16384);
            int offset = (int) (Integer.toUnsignedLong(ByteBuffer.wrap(patch, 1, 4).getInt()) % span);
            try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(patch, 5, (int) Math.min(patch.length - 5, size - offset)), offset);
            }
            try (ClfsLog log = ClfsLog.open(dir)) {
                for (String name : log.streamNames()) {
                    try (ReadContext ctx = log.stream(name).readFromTail(RecordFilter.ALL)) {
                        for (LogRecord r = ctx.next(); r != null; r = ctx.next()) {
                            r.bytes();
                        }
                    }
                }
            } catch (ClfsException expected) {
                // a typed refusal naming what is wrong
            }
        } finally {
            LogBytes.delete(dir);
        }
    }
}

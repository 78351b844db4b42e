package io.clfs.log;

import io.clfs.log.engine.BlockReader;
import io.clfs.log.engine.ContainerFiles;
import io.clfs.log.engine.MetadataStore;
import io.clfs.log.format.Layout;
import io.clfs.log.engine.Metadata;
import io.clfs.log.io.FileIO;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a log without changing it: both metadata copies, every container header, and every block
 * and record from the oldest container in use to the end of the chain. A log that needs no repair
 * has no fault; an older metadata copy left torn by a crash is reported, since only a writer's next
 * metadata update replaces it.
 */
public final class LogVerifier {

    /** One fault: the file, the byte offset in it, and what was expected there. */
    public record Fault(Path file, long offset, String reason) {
        @Override
        public String toString() {
            return file + " at offset " + offset + ": " + reason;
        }
    }

    public record VerifyReport(Path dir, List<Fault> faults, long blocks, long records) {
        public boolean clean() {
            return faults.isEmpty();
        }
    }

    private final FileIO io;
    private final Path dir;
    private final List<Fault> faults = new ArrayList<>();
    private long blocks;
    private long records;

    private LogVerifier(FileIO io, Path dir) {
        this.io = io;
        this.dir = dir;
    }

    public static VerifyReport verify(Path dir) {
        return verify(FileIO.real(), dir);
    }

    public static VerifyReport verify(FileIO io, Path dir) {
        LogVerifier v = new LogVerifier(io, dir);
        v.run();
        return new VerifyReport(dir, List.copyOf(v.faults), v.blocks, v.records);
    }

    private void run() {
        MetadataStore store = new MetadataStore(io, dir);
        if (!io.exists(store.file())) {
            faults.add(new Fault(store.file(), 0, "expected a metadata file: this is not a log"));
            return;
        }
        Metadata newest = null;
        for (int slot = 0; slot < 2; slot++) {
            MetadataStore.Slot s = store.readSlot(slot);
            if (s.metadata() == null) {
                faults.add(new Fault(store.file(), s.offset(), "metadata copy " + slot + ": " + s.fault()));
            } else if (newest == null || Long.compareUnsigned(s.metadata().generation(), newest.generation()) > 0) {
                newest = s.metadata();
            }
        }
        if (newest == null) {
            return;
        }
        try (ContainerFiles files = new ContainerFiles(io, dir, false)) {
            boolean headersOk = true;
            for (Metadata.ContainerEntry c : newest.containers()) {
                try {
                    files.handle(newest, c.physicalId());
                } catch (CorruptLogException e) {
                    faults.add(new Fault(e.file(), e.offset(), e.getMessage()));
                    headersOk = false;
                }
            }
            if (headersOk) {
                walk(newest, files);
            }
        } catch (IOException e) {
            faults.add(new Fault(dir, 0, "cannot close container files: " + e));
        }
    }

    /**
     * Walks the chain from the first block of the oldest container in use. If that part breaks off
     * before the checkpoint, the walk resumes from the checkpoint, so that a fault early in the log
     * does not hide one later.
     */
    private void walk(Metadata m, ContainerFiles files) {
        BlockReader c = new BlockReader(files, m);
        long first = Lsn.of(m.oldestLogical(), Layout.CONTAINER_HEADER_SIZE);
        long end;
        if (Lsn.less(first, m.checkpoint().position()) || Lsn.less(first, m.vouchedEnd())) {
            if (c.load(first)) {
                checkRecords(c);
                c.follow();
                end = follow(c, m);
            } else {
                faults.add(new Fault(c.faultFile(), c.faultOffset(), c.fault()));
                end = first;
            }
            if (Lsn.less(end, m.checkpoint().position())) {
                faults.add(new Fault(c.faultFile() != null ? c.faultFile() : dir, c.faultOffset(),
                        "the chain from the oldest container breaks off at " + Lsn.toString(end)
                                + " before the checkpoint " + Lsn.toString(m.checkpoint().position())
                                + ": " + c.fault()));
                c.startChain(m.checkpoint());
                end = follow(c, m);
            }
        } else {
            c.startChain(m.checkpoint());
            end = follow(c, m);
        }
        if (Lsn.less(end, m.vouchedEnd())) {
            faults.add(new Fault(c.faultFile() != null ? c.faultFile() : dir, c.faultOffset(),
                    c.fault() + "; the metadata vouches that the log is durable up to " + Lsn.toString(m.vouchedEnd())));
        }
        for (Metadata.StreamEntry s : m.streams()) {
            for (long tail : new long[]{s.base(), s.archiveTail(), s.restartLsn()}) {
                if (tail != Lsn.INVALID && Lsn.less(end, tail)) {
                    faults.add(new Fault(new MetadataStore(io, dir).file(), 0, "stream '" + s.name()
                            + "' points to " + Lsn.toString(tail) + ", past the end of the log " + Lsn.toString(end)));
                }
            }
        }
    }

    private long follow(BlockReader c, Metadata m) {
        return c.walk(m.ownerEpoch(), this::checkRecords);
    }

    private void checkRecords(BlockReader c) {
        blocks++;
        for (int at = c.firstRecord(); at >= 0; at = c.nextRecord(at)) {
            try {
                c.checkRecord(at);
                records++;
            } catch (CorruptLogException e) {
                faults.add(new Fault(e.file(), e.offset(), e.getMessage()));
                return;
            }
        }
    }
}

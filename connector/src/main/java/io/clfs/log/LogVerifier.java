package io.clfs.log;

import io.clfs.log.engine.BlockReader;
import io.clfs.log.engine.ContainerFiles;
import io.clfs.log.engine.MetadataStore;
import io.clfs.log.engine.RecordLookup;
import io.clfs.log.format.Layout;
import io.clfs.log.format.RecordHeader;
import io.clfs.log.engine.Metadata;
import io.clfs.log.io.FileIO;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a log without changing it: both metadata copies, every container header, every block and
 * record (its links included) from the oldest container in use to the end of the chain, and each
 * stream's restart chain. A log that needs no repair
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
        checkRestartChains(m, files, end);
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
                report(e);
                return;
            }
            try {
                c.checkLinks(at);
            } catch (CorruptLogException e) {
                report(e); // the framing holds: the records after it can still be checked
            }
        }
    }

    /**
     * Walks each stream's restart chain from the metadata's restart LSN down to the stream's lower
     * tail (older records may be recycled): each link must lead to a restart record of the same
     * stream, below the one before, so the walk ends within the log's size. A fault names the
     * record holding the bad link, or the metadata for the first.
     */
    private void checkRestartChains(Metadata m, ContainerFiles files, long end) {
        BlockReader c = new BlockReader(files, m);
        for (Metadata.StreamEntry s : m.streams()) {
            long lower = m.archiveEnabled() ? Lsn.min(s.base(), s.archiveTail()) : s.base();
            Path file = new MetadataStore(io, dir).file();
            long offset = 0;
            String from = "the metadata's restart LSN of stream '" + s.name() + "'";
            for (long lsn = s.restartLsn(); lsn != Lsn.INVALID && !Lsn.less(lsn, lower) && Lsn.less(lsn, end); ) {
                try {
                    int at = RecordLookup.locate(c, lsn);
                    if (at < 0 || RecordHeader.stream(c.buffer(), at) != s.id()
                            || RecordHeader.type(c.buffer(), at) != RecordHeader.TYPE_RESTART) {
                        report(new Fault(file, offset, "expected " + from + " to lead to a restart record of that"
                                + " stream at " + Lsn.toString(lsn) + ", found none"));
                        break;
                    }
                    c.checkLinks(at);
                    file = files.path(m, m.physicalOf(Lsn.container(lsn)));
                    offset = Lsn.offset(lsn);
                    from = "the previous link of restart record " + Lsn.toString(lsn);
                    lsn = RecordHeader.previous(c.buffer(), at);
                } catch (CorruptLogException e) {
                    report(e);
                    break;
                }
            }
        }
    }

    private void report(CorruptLogException e) {
        report(new Fault(e.file(), e.offset(), e.getMessage()));
    }

    /** Adds a fault once: the restart chain walk may meet a bad link the block walk reported. */
    private void report(Fault f) {
        if (!faults.contains(f)) {
            faults.add(f);
        }
    }
}

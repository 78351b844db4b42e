package io.clfs.log.engine;

import io.clfs.log.ArchiveScan;
import io.clfs.log.ClfsException;
import io.clfs.log.Lsn;
import io.clfs.log.NotARecordException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Archive scans: the container byte ranges from the lowest archive tail to the durable end, and the
 * pins that keep a writer in this JVM from recycling the containers an open scan names.
 *
 * <p>Takes no lock: the pins are a concurrent map shared by every log of a directory in this JVM;
 * the ranges are read with a reader of its own. It never writes a file.
 */
public final class ArchiveScanner {
    /** Lowest logical container each open archive scan in this JVM needs, per log directory. */
    private static final Map<Path, Map<Object, Long>> SCAN_PINS = new ConcurrentHashMap<>();

    private final LogCore core;
    private final RecordLookup lookup;
    /** This log's key in {@link #SCAN_PINS}. */
    private final Path pinKey;

    /** The ranges of one scan and what to run when it closes. */
    public record Scan(List<ArchiveScan.Range> ranges, Runnable unpin) {
    }

    public ArchiveScanner(LogCore core, RecordLookup lookup) {
        this.core = core;
        this.lookup = lookup;
        this.pinKey = core.dir.toAbsolutePath().normalize();
    }

    /** Pins the containers from the lowest archive tail on and lists their ranges up to the durable end. */
    public Scan open() {
        core.checkOpen();
        if (!core.meta.archiveEnabled()) {
            throw new ClfsException("log " + core.dir + " is ephemeral: it has no archive tail to scan from");
        }
        long tail = core.durableEnd;
        for (StreamState s : core.streams.values()) {
            tail = Lsn.min(tail, s.archiveTail);
        }
        Object token = new Object();
        Map<Object, Long> pins = SCAN_PINS.computeIfAbsent(pinKey, k -> new ConcurrentHashMap<>());
        pins.put(token, Lsn.container(tail));
        try {
            return new Scan(ranges(tail), () -> pins.remove(token));
        } catch (RuntimeException e) {
            pins.remove(token);
            throw e;
        }
    }

    private List<ArchiveScan.Range> ranges(long tail) {
        Metadata m = core.meta;
        long from = lookup.normalizedBoundary(tail);
        BlockReader c = new BlockReader(core.files, m);
        long end = core.durableEnd;
        if (!Lsn.less(from, end)) {
            return List.of();
        }
        if (!c.load(from)) {
            if (RecordLookup.locate(c, from) < 0) {
                throw new NotARecordException("archive tail " + Lsn.toString(from) + " is neither a block nor a record");
            }
        }
        Map<Long, long[]> byContainer = new LinkedHashMap<>();
        do {
            if (!Lsn.less(c.position(), end)) {
                break;
            }
            long logical = Lsn.container(c.position());
            long start = Lsn.offset(c.position());
            long stop = start + c.blockLength();
            byContainer.merge(logical, new long[]{start, stop}, (a, b) -> new long[]{a[0], b[1]});
            c.follow();
        } while (c.next(core.maxEpoch()));
        List<ArchiveScan.Range> out = new ArrayList<>();
        for (Map.Entry<Long, long[]> e : byContainer.entrySet()) {
            long[] r = e.getValue();
            out.add(new ArchiveScan.Range(core.files.path(m, m.physicalOf(e.getKey())), e.getKey(), r[0], r[1] - r[0],
                    Lsn.of(e.getKey(), r[0]), Lsn.of(e.getKey(), r[1])));
        }
        return out;
    }

    /** {@code point}, lowered to the start of the lowest container an open scan of this log pins. */
    long belowPins(long point) {
        Map<Object, Long> pins = SCAN_PINS.get(pinKey);
        if (pins != null) {
            for (long logical : pins.values()) {
                point = Lsn.min(point, Lsn.of(logical, 0));
            }
        }
        return point;
    }

    /** How many scans of this log are open in this JVM. */
    int openScans() {
        Map<Object, Long> pins = SCAN_PINS.get(pinKey);
        return pins == null ? 0 : pins.size();
    }
}

package io.clfs.log;

import java.nio.file.Path;
import java.util.List;

/**
 * The container byte ranges that hold the records from the archive tail to the durable end, in LSN
 * order, for a tool to copy raw. While the scan is open, the containers it names are not recycled
 * by a writer in this process.
 */
public final class ArchiveScan implements AutoCloseable {
    /** {@code length} bytes of {@code file} from {@code offset}: whole blocks of logical container {@code logicalId}. */
    public record Range(Path file, long logicalId, long offset, long length, long startLsn, long endLsn) {
    }

    private final List<Range> ranges;
    private final Runnable onClose;

    ArchiveScan(List<Range> ranges, Runnable onClose) {
        this.ranges = List.copyOf(ranges);
        this.onClose = onClose;
    }

    public List<Range> ranges() {
        return ranges;
    }

    @Override
    public void close() {
        onClose.run();
    }
}

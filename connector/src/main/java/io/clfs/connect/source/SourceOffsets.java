package io.clfs.connect.source;

import io.clfs.log.Lsn;

import java.util.Map;

/**
 * The connector's source partitions and offsets. A log is the partition {@code {log: <dir name>}};
 * a record's offset is {@code {lsn: <canonical LSN>}}. A range replay adds {@code range:
 * "<from>..<to>"} to the partition, so that it never shares progress with the archive replay of
 * the same log, nor with another range.
 */
final class SourceOffsets {
    static final String LOG = "log";
    static final String RANGE = "range";
    static final String LSN = "lsn";
    /** The from-LSN text of a range that starts at the lower tail. */
    static final String TAIL = "tail";

    private SourceOffsets() {
    }

    static Map<String, String> partition(String log, ClfsSourceConfig config) {
        if (config.mode() == ClfsSourceConfig.Mode.ARCHIVE) {
            return Map.of(LOG, log);
        }
        long from = config.fromLsn();
        return Map.of(LOG, log, RANGE, (from == Lsn.INVALID ? TAIL : Lsn.toString(from)) + ".." + Lsn.toString(config.toLsn()));
    }

    static Map<String, String> offset(long lsn) {
        return Map.of(LSN, Lsn.toString(lsn));
    }

    /** The LSN of an offset read back from Connect, or {@link Lsn#INVALID} for none. */
    static long lsnOf(Map<String, ?> offset) {
        if (offset == null || offset.get(LSN) == null) {
            return Lsn.INVALID;
        }
        return Lsn.parse(offset.get(LSN).toString());
    }
}

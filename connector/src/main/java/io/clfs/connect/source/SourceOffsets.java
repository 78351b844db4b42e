package io.clfs.connect.source;

import io.clfs.log.Lsn;
import org.apache.kafka.connect.errors.ConnectException;

import java.util.HashMap;
import java.util.Map;

/**
 * The connector's source partitions and offsets. A log is the partition {@code {log: <dir name>,
 * logId: <the log's id>}}; a record's offset is {@code {lsn: <canonical LSN>, logId: <the log's
 * id>}}. A range replay adds {@code range: "<from>..<to>"} to the partition, so that it never
 * shares progress with the archive replay of the same log, nor with another range.
 *
 * <p>The log id in the partition keeps a log's progress apart from that of another log that had
 * the same directory name (deleted and created again, or one of another host); the one in the
 * offset lets the task tell an LSN of another log and refuse it. Connectors of earlier versions
 * keyed progress by name alone ({@link #legacyPartition}): the task resumes from such an offset
 * when its log has none under the new key.
 */
final class SourceOffsets {
    static final String LOG = "log";
    static final String LOG_ID = "logId";
    static final String RANGE = "range";
    static final String LSN = "lsn";
    /** The from-LSN text of a range that starts at the lower tail. */
    static final String TAIL = "tail";
    /** The to-LSN text of a range that ends at each log's end when the task starts. */
    static final String END = "end";

    private SourceOffsets() {
    }

    static Map<String, String> partition(String log, String logId, ClfsSourceConfig config) {
        Map<String, String> p = new HashMap<>(legacyPartition(log, config));
        p.put(LOG_ID, logId);
        return Map.copyOf(p);
    }

    /** The partition of the log as connectors before log ids named it: by directory name only. */
    static Map<String, String> legacyPartition(String log, ClfsSourceConfig config) {
        if (config.mode() == ClfsSourceConfig.Mode.ARCHIVE) {
            return Map.of(LOG, log);
        }
        long from = config.fromLsn();
        long to = config.toLsn();
        return Map.of(LOG, log, RANGE, (from == Lsn.INVALID ? TAIL : Lsn.toString(from)) + ".."
                + (to == Lsn.INVALID ? END : Lsn.toString(to)) + config.selection().key());
    }

    /** The offset of the record at {@code lsn} of the log that {@code partition} names. */
    static Map<String, String> offset(Map<String, ?> partition, long lsn) {
        Object logId = partition.get(LOG_ID);
        return logId == null ? Map.of(LSN, Lsn.toString(lsn)) : Map.of(LSN, Lsn.toString(lsn), LOG_ID, logId.toString());
    }

    /** The LSN of an offset read back from Connect, or {@link Lsn#INVALID} for none. */
    static long lsnOf(Map<String, ?> offset) {
        if (offset == null || offset.get(LSN) == null) {
            return Lsn.INVALID;
        }
        return Lsn.parse(offset.get(LSN).toString());
    }

    /**
     * The LSN of a committed offset of log {@code name}, whose id is {@code logId}, or
     * {@link Lsn#INVALID} for none. An offset that names another log id is refused, not ignored:
     * resuming at the archive tail instead could replay records again, and its LSN in this log
     * would skip or fail on records that are not its own; only the operator knows which log the
     * progress was meant for.
     */
    static long lsnOf(Map<String, ?> offset, String name, String logId) {
        Object committedId = offset == null ? null : offset.get(LOG_ID);
        if (committedId != null && !committedId.toString().equals(logId)) {
            throw new ConnectException("log " + name + " (id " + logId + "): the committed source offset " + offset
                    + " belongs to log " + committedId + ", another log that had the same name. Reset this"
                    + " connector's offset of the log (Connect's offsets REST API, with the connector stopped) to"
                    + " replay it from its archive tail");
        }
        return lsnOf(offset);
    }
}

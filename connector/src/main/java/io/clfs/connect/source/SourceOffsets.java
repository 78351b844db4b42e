package io.clfs.connect.source;

import io.clfs.log.Lsn;
import org.apache.kafka.connect.errors.ConnectException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
 *
 * <p>A partition's entries always come in the order {@code log, logId, range}: Connect keys a
 * committed offset by the JSON text of its partition, written in the map's iteration order, so the
 * same entries in another order are another key. ({@code Map.of} and {@code Map.copyOf} iterate in
 * an order that differs from one JVM to the next, so a task that took over a log on another worker
 * would not find its progress.) {@link CommittedOffsets} still finds progress that earlier versions
 * committed in another order.
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
        return inOrder(LOG, log, LOG_ID, logId, RANGE, rangeOf(config));
    }

    /** The partition of the log as connectors before log ids named it: by directory name only. */
    static Map<String, String> legacyPartition(String log, ClfsSourceConfig config) {
        return inOrder(LOG, log, RANGE, rangeOf(config));
    }

    /** The range text of a range replay's partition; null in archive mode. */
    private static String rangeOf(ClfsSourceConfig config) {
        if (config.mode() == ClfsSourceConfig.Mode.ARCHIVE) {
            return null;
        }
        long from = config.fromLsn();
        long to = config.toLsn();
        return (from == Lsn.INVALID ? TAIL : Lsn.toString(from)) + ".." + (to == Lsn.INVALID ? END : Lsn.toString(to))
                + config.selection().key();
    }

    /** An unmodifiable map that iterates in the order given; entries with a null value are left out. */
    private static Map<String, String> inOrder(String... keysAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                m.put(keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * Every order of the partition's entries, its own first: the keys under which Connect may hold
     * the partition's offset (see the class comment).
     */
    static List<Map<String, String>> spellings(Map<String, String> partition) {
        List<Map<String, String>> out = new ArrayList<>();
        permute(new ArrayList<>(partition.keySet()), 0, partition, out);
        return out;
    }

    private static void permute(List<String> keys, int fixed, Map<String, String> partition,
                                List<Map<String, String>> out) {
        if (fixed == keys.size()) {
            Map<String, String> m = new LinkedHashMap<>();
            keys.forEach(k -> m.put(k, partition.get(k)));
            out.add(Collections.unmodifiableMap(m));
            return;
        }
        for (int i = fixed; i < keys.size(); i++) {
            Collections.swap(keys, fixed, i);
            permute(keys, fixed + 1, partition, out);
            Collections.swap(keys, fixed, i);
        }
    }

    /** The offset of the record at LSN {@code lsnText} ({@link Lsn#toString}) of the log {@code partition} names. */
    static Map<String, String> offset(Map<String, ?> partition, String lsnText) {
        Object logId = partition.get(LOG_ID);
        return logId == null ? Map.of(LSN, lsnText) : Map.of(LSN, lsnText, LOG_ID, logId.toString());
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

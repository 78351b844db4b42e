package io.clfs.connect.source;

import io.clfs.log.Lsn;
import org.apache.kafka.connect.storage.OffsetStorageReader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The offsets a starting task resumes from, read from Connect's offset store under every order of
 * each partition's entries ({@link SourceOffsets#spellings}). Connect keys an offset by the JSON
 * text of its partition, so a version of the connector that built its partitions in a per-JVM
 * order left its progress under either spelling, perhaps under both: the highest LSN is the
 * newest, since a log's LSNs only grow.
 *
 * <p>A reader answers by partition, and spellings of one partition are equal maps: each read asks
 * for one spelling of every partition.
 */
final class CommittedOffsets {
    private CommittedOffsets() {
    }

    /** By partition as given: its newest committed offset, or no entry for none. */
    static Map<Map<String, String>, Map<String, Object>> read(OffsetStorageReader reader,
                                                              List<Map<String, String>> partitions) {
        Map<Map<String, String>, List<Map<String, String>>> spellings = new HashMap<>();
        int reads = 0;
        for (Map<String, String> p : partitions) {
            List<Map<String, String>> s = SourceOffsets.spellings(p);
            spellings.put(p, s);
            reads = Math.max(reads, s.size());
        }
        Map<Map<String, String>, Map<String, Object>> newest = new HashMap<>();
        for (int i = 0; i < reads; i++) {
            List<Map<String, String>> asked = new ArrayList<>();
            for (List<Map<String, String>> s : spellings.values()) {
                if (i < s.size()) {
                    asked.add(s.get(i));
                }
            }
            Map<Map<String, String>, Map<String, Object>> found = reader.offsets(asked);
            found.forEach((spelling, offset) -> {
                if (offset != null) {
                    newest.merge(spelling, offset, CommittedOffsets::later);
                }
            });
        }
        return newest;
    }

    private static Map<String, Object> later(Map<String, Object> a, Map<String, Object> b) {
        return Lsn.less(SourceOffsets.lsnOf(a), SourceOffsets.lsnOf(b)) ? b : a;
    }
}

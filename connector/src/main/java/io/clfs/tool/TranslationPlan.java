package io.clfs.tool;

import io.clfs.connect.source.ClfsSourceConfig.PartitionMapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Where a consumer group's committed offsets in an origin topic fall in its replay topic, per
 * replay partition. A replay partition that holds one origin partition (the default, partitions
 * preserved) gets the offset of the first record the group had not read. One that holds several
 * (the replay mapped a larger origin by {@code modulo} or {@code hash}) gets the lowest of their
 * offsets: nothing is missed, and records of the others between that offset and their own are read
 * again. A replay partition holding an origin partition the group has no offset for gets none
 * either: the group's {@code auto.offset.reset} decides there, as it did in the origin topic.
 *
 * @param targets one per replay partition that holds records of an origin partition, by partition
 */
record TranslationPlan(List<Target> targets) {
    /** Searches replay partition {@code target} for origin partition {@code origin} ({@link OriginOffsetSearch}). */
    interface Search {
        long offset(int origin, int target, long committed);
    }

    /** @param offset to commit; empty when an origin partition here has nothing committed */
    record Target(int partition, OptionalLong offset, long end, List<Origin> origins) {
        boolean atEnd() {
            return offset.isPresent() && offset.getAsLong() >= end;
        }
    }

    /** @param committed the group's offset in the origin partition, empty for none; {@code offset} its place here */
    record Origin(int partition, OptionalLong committed, OptionalLong offset) {
    }

    /**
     * @param committed the group's committed offsets in the origin topic, by partition
     * @param ends      each replay partition's end offset
     */
    static TranslationPlan of(int originPartitions, Map<Integer, Long> committed, int targetPartitions,
                              PartitionMapping mapping, long[] ends, Search search) {
        if (mapping == PartitionMapping.NONE && targetPartitions < originPartitions) {
            throw new IllegalArgumentException("the replay topic has " + targetPartitions + " partition(s), fewer than"
                    + " the origin's " + originPartitions + ": the replay mapped them; say how with --mapping hash or"
                    + " modulo (as clfs.replay.partition.mapping)");
        }
        // The source maps only a target with fewer partitions than its origin; any other keeps partitions.
        PartitionMapping effective = targetPartitions >= originPartitions ? PartitionMapping.NONE : mapping;
        List<Target> targets = new ArrayList<>();
        for (int q = 0; q < targetPartitions; q++) {
            List<Origin> origins = new ArrayList<>();
            for (int p = 0; p < originPartitions; p++) {
                if (holds(effective, p, q, targetPartitions)) {
                    Long c = committed.get(p);
                    origins.add(c == null ? new Origin(p, OptionalLong.empty(), OptionalLong.empty())
                            : new Origin(p, OptionalLong.of(c), OptionalLong.of(search.offset(p, q, c))));
                }
            }
            if (!origins.isEmpty()) {
                boolean all = origins.stream().allMatch(o -> o.offset().isPresent());
                OptionalLong offset = all ? OptionalLong.of(origins.stream().mapToLong(o -> o.offset().getAsLong())
                        .min().orElseThrow()) : OptionalLong.empty();
                targets.add(new Target(q, offset, ends[q], List.copyOf(origins)));
            }
        }
        return new TranslationPlan(List.copyOf(targets));
    }

    /** Whether replay partition q may hold records of origin partition p. */
    private static boolean holds(PartitionMapping mapping, int p, int q, int targetPartitions) {
        return switch (mapping) {
            case NONE -> p == q;
            case MODULO -> p % targetPartitions == q;
            case HASH -> true;
        };
    }
}

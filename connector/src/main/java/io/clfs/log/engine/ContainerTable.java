package io.clfs.log.engine;

import io.clfs.log.engine.Metadata.ContainerEntry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Arithmetic on a container table (physical id to logical id, 0 = free): which containers can be
 * reclaimed, which one to assign, which to drop when shrinking, how many are spare. Pure functions:
 * no I/O, no state, so no lock.
 *
 * <p>They run about once per container, too rarely to be compiled: plain loops keep them cheap in
 * the interpreter.
 */
public final class ContainerTable {
    private ContainerTable() {
    }

    /**
     * Whether a container's records are all below the reclaim point's container {@code below} and it
     * is not the one being filled ({@code active}).
     */
    static boolean reclaimable(ContainerEntry c, long below, long active) {
        return !c.free() && c.logicalId() < below && c.logicalId() != active;
    }

    /** The table with every reclaimable container marked free. */
    public static List<ContainerEntry> reclaimed(List<ContainerEntry> table, long below, long active) {
        List<ContainerEntry> out = new ArrayList<>(table.size());
        for (ContainerEntry c : table) {
            out.add(reclaimable(c, below, active) ? c.holding(0) : c);
        }
        return out;
    }

    public static int reclaimableCount(List<ContainerEntry> table, long below, long active) {
        int n = 0;
        for (ContainerEntry c : table) {
            if (reclaimable(c, below, active)) {
                n++;
            }
        }
        return n;
    }

    /** The lowest free physical id, or -1. */
    public static int firstFree(List<ContainerEntry> table) {
        int first = -1;
        for (ContainerEntry c : table) {
            if (c.free() && (first < 0 || c.physicalId() < first)) {
                first = c.physicalId();
            }
        }
        return first;
    }

    /** Whether no container of {@code table} holds {@code logical} any more. */
    public static boolean freedBy(List<ContainerEntry> table, long logical) {
        for (ContainerEntry c : table) {
            if (c.logicalId() == logical) {
                return false;
            }
        }
        return true;
    }

    public static boolean containsPhysical(List<ContainerEntry> table, int id) {
        for (ContainerEntry c : table) {
            if (c.physicalId() == id) {
                return true;
            }
        }
        return false;
    }

    /** The lowest physical id the table does not list: the name of the next container file to create. */
    public static int lowestUnusedPhysical(List<ContainerEntry> table) {
        int id = 0;
        while (containsPhysical(table, id)) {
            id++;
        }
        return id;
    }

    /** The entry of physical container {@code id}; it must be listed. */
    public static ContainerEntry entry(List<ContainerEntry> table, int id) {
        for (ContainerEntry c : table) {
            if (c.physicalId() == id) {
                return c;
            }
        }
        throw new IllegalArgumentException("physical container " + id + " is not listed");
    }

    /** The table with the file of {@code physical} created anew by the writer of {@code epoch}. */
    public static List<ContainerEntry> renewed(List<ContainerEntry> table, int physical, long epoch) {
        List<ContainerEntry> out = new ArrayList<>(table.size());
        for (ContainerEntry c : table) {
            out.add(c.physicalId() == physical ? new ContainerEntry(physical, c.logicalId(), c.fenceOffset(), epoch)
                    : c);
        }
        return out;
    }

    /** The table with {@code physical} holding {@code logical}. */
    public static List<ContainerEntry> assign(List<ContainerEntry> table, int physical, long logical) {
        List<ContainerEntry> out = new ArrayList<>(table.size());
        for (ContainerEntry c : table) {
            out.add(c.physicalId() == physical ? c.holding(logical) : c);
        }
        return out;
    }

    /**
     * Drops free containers, highest physical id first, while more than {@code autoShrinkPercent}
     * of the table is free and it has more than {@code minContainers}; 0 percent never shrinks.
     */
    public static List<ContainerEntry> shrunk(List<ContainerEntry> table, int minContainers, int autoShrinkPercent) {
        if (autoShrinkPercent == 0) {
            return table;
        }
        List<ContainerEntry> out = new ArrayList<>(table);
        out.sort(Comparator.comparingInt(ContainerEntry::physicalId).reversed());
        for (;;) {
            long free = out.stream().filter(ContainerEntry::free).count();
            if (out.size() <= minContainers || free * 100 <= (long) autoShrinkPercent * out.size()) {
                break;
            }
            ContainerEntry victim = out.stream().filter(ContainerEntry::free).findFirst().orElseThrow();
            out.remove(victim);
        }
        out.sort(Comparator.comparingInt(ContainerEntry::physicalId));
        return out;
    }

    /**
     * Containers an append can still fill besides the active one: free ones, ones assigned ahead
     * (still empty), reclaimable ones, and room to grow to {@code maxContainers}.
     */
    public static long spare(List<ContainerEntry> table, long below, long active, int maxContainers) {
        long free = 0;
        for (ContainerEntry c : table) {
            if (c.free() || c.logicalId() > active) {
                free++;
            }
        }
        return free + reclaimableCount(table, below, active) + Math.max(0, maxContainers - table.size());
    }
}

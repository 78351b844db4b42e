package io.clfs.connect.source;

import io.clfs.connect.envelope.SinkRestartArea;

/**
 * Which records of a log a range replay (or {@code clfs dump}) selects besides the LSN range: a
 * record is selected when its origin offset is in [fromOffset, toOffset) and, when a time range is
 * given, its timestamp is in [fromTimestamp, toTimestamp). Kafka timestamps are not monotonic, so
 * the time range is a filter over every record read; a record without a timestamp is never in a
 * time range. Offsets grow along a partition's log, so a record at or past {@code toOffset} ends
 * the read.
 */
public record ReplaySelection(long fromTimestamp, long toTimestamp, long fromOffset, long toOffset) {
    public static final long UNBOUNDED_FROM = Long.MIN_VALUE;
    public static final long UNBOUNDED_TO = Long.MAX_VALUE;
    public static final ReplaySelection ALL = new ReplaySelection(UNBOUNDED_FROM, UNBOUNDED_TO, UNBOUNDED_FROM,
            UNBOUNDED_TO);

    public boolean timeBounded() {
        return fromTimestamp != UNBOUNDED_FROM || toTimestamp != UNBOUNDED_TO;
    }

    public boolean offsetBounded() {
        return fromOffset != UNBOUNDED_FROM || toOffset != UNBOUNDED_TO;
    }

    public boolean all() {
        return !timeBounded() && !offsetBounded();
    }

    public boolean selects(long offset, long timestamp) {
        if (offset < fromOffset || offset >= toOffset) {
            return false;
        }
        return !timeBounded() || (timestamp >= 0 && timestamp >= fromTimestamp && timestamp < toTimestamp);
    }

    /** A record at this offset, and every one after it in the log, lies past the offset range. */
    public boolean pastEnd(long offset) {
        return offset >= toOffset;
    }

    /**
     * No record journaled before this restart area is selected: its last offset is below the
     * offset range, or its newest timestamp (the maximum over every record before it) is below the
     * time range. A restart area that does not know its newest timestamp (-1 after records, the
     * legacy Streams layout) says nothing about time.
     */
    public boolean nothingUpTo(SinkRestartArea ra) {
        if (ra.recordsJournaled() == 0) {
            return true;
        }
        boolean offsetsBelow = offsetBounded() && ra.lastOffset() >= 0 && ra.lastOffset() < fromOffset;
        boolean timesBelow = timeBounded() && ra.maxTimestamp() >= 0 && ra.maxTimestamp() < fromTimestamp;
        return offsetsBelow || timesBelow;
    }

    /** For messages: e.g. "timestamps [2024-05-01T14:00:00Z, 2024-05-01T15:00:00Z), offsets [10, 20)". */
    public String describe() {
        if (all()) {
            return "every record";
        }
        StringBuilder b = new StringBuilder();
        if (timeBounded()) {
            b.append("timestamps [").append(time(fromTimestamp, "-inf")).append(", ").append(time(toTimestamp, "+inf"))
                    .append(')');
        }
        if (offsetBounded()) {
            b.append(b.isEmpty() ? "" : ", ").append("offsets [").append(number(fromOffset, "0")).append(", ")
                    .append(number(toOffset, "+inf")).append(')');
        }
        return b.toString();
    }

    /** The selection in a source partition: keeps its progress apart from any other selection's. */
    String key() {
        if (all()) {
            return "";
        }
        return ";time=" + number(fromTimestamp, "") + ".." + number(toTimestamp, "") + ";offset="
                + number(fromOffset, "") + ".." + number(toOffset, "");
    }

    private static String time(long ms, String unbounded) {
        return ms == UNBOUNDED_FROM || ms == UNBOUNDED_TO ? unbounded : TimestampText.format(ms);
    }

    private static String number(long n, String unbounded) {
        return n == UNBOUNDED_FROM || n == UNBOUNDED_TO ? unbounded : Long.toString(n);
    }
}

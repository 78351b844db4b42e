package io.clfs.connect.source;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The two ways a person writes a point in time for a restore: epoch milliseconds, or ISO-8601
 * with a zone offset ({@code 2024-05-01T14:00:00Z}, {@code 2024-05-01T16:00:00+02:00}). A time
 * without an offset is refused: which hour it means depends on the machine that reads it.
 */
public final class TimestampText {
    private TimestampText() {
    }

    /** Milliseconds since the epoch; IllegalArgumentException saying what is wrong. */
    public static long parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        if (s.chars().allMatch(Character::isDigit)) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is too large for epoch milliseconds");
            }
        }
        try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            String hint = s.matches("\\d{4}-\\d{2}-\\d{2}T[\\d:.]+") ? " (add the zone offset: Z or +hh:mm)" : "";
            throw new IllegalArgumentException("'" + s + "' is neither epoch milliseconds nor ISO-8601 with a zone"
                    + " offset such as 2024-05-01T14:00:00Z" + hint);
        }
    }

    /** ISO-8601 in UTC, for messages. */
    public static String format(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
    }
}

package io.clfs.connect.source;

import io.clfs.log.Lsn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The rules of the source configuration that span keys, each reported on the key at fault; both
 * the configuration's constructor and the connector's {@code validate} use them. They run after
 * the per-key validators passed.
 */
final class SourceKeyRules {
    private static final List<String> RANGE_ONLY = List.of(ClfsSourceConfig.FROM_LSN, ClfsSourceConfig.TO_LSN,
            ClfsSourceConfig.FROM_TIMESTAMP, ClfsSourceConfig.TO_TIMESTAMP, ClfsSourceConfig.FROM_OFFSET,
            ClfsSourceConfig.TO_OFFSET);

    /** The keys the rules read. */
    static final List<String> READS = List.of(ClfsSourceConfig.MODE, ClfsSourceConfig.FROM_LSN,
            ClfsSourceConfig.TO_LSN, ClfsSourceConfig.FROM_TIMESTAMP, ClfsSourceConfig.TO_TIMESTAMP,
            ClfsSourceConfig.FROM_OFFSET, ClfsSourceConfig.TO_OFFSET);

    private SourceKeyRules() {
    }

    /** A rule broken by the value of {@code key}. */
    record KeyError(String key, String message) {
    }

    /** @param value the text of a key, by name */
    static List<KeyError> errors(Function<String, String> value) {
        List<KeyError> errors = new ArrayList<>();
        ClfsSourceConfig.Mode mode = ClfsSourceConfig.Mode.valueOf(text(value, ClfsSourceConfig.MODE)
                .toUpperCase(Locale.ROOT));
        if (mode == ClfsSourceConfig.Mode.ARCHIVE) {
            for (String key : RANGE_ONLY) {
                if (!text(value, key).isEmpty()) {
                    errors.add(new KeyError(key, key + " is only used with " + ClfsSourceConfig.MODE + "=range"));
                }
            }
            return errors;
        }
        String from = text(value, ClfsSourceConfig.FROM_LSN);
        String to = text(value, ClfsSourceConfig.TO_LSN);
        ReplaySelection selection = selection(value);
        if (to.isEmpty() && selection.all()) {
            errors.add(new KeyError(ClfsSourceConfig.TO_LSN, ClfsSourceConfig.TO_LSN + " is required with "
                    + ClfsSourceConfig.MODE + "=range unless a timestamp or offset range is given"));
        } else if (!to.isEmpty() && !from.isEmpty() && !Lsn.less(Lsn.parse(from), Lsn.parse(to))) {
            errors.add(new KeyError(ClfsSourceConfig.TO_LSN, ClfsSourceConfig.TO_LSN + " (" + to + ") must be above "
                    + ClfsSourceConfig.FROM_LSN + " (" + from + ")"));
        }
        if (selection.fromTimestamp() != ReplaySelection.UNBOUNDED_FROM
                && selection.toTimestamp() != ReplaySelection.UNBOUNDED_TO
                && selection.fromTimestamp() >= selection.toTimestamp()) {
            errors.add(new KeyError(ClfsSourceConfig.TO_TIMESTAMP, ClfsSourceConfig.TO_TIMESTAMP + " ("
                    + text(value, ClfsSourceConfig.TO_TIMESTAMP) + ") must be after " + ClfsSourceConfig.FROM_TIMESTAMP
                    + " (" + text(value, ClfsSourceConfig.FROM_TIMESTAMP) + "): the range [from, to) holds nothing"));
        }
        if (selection.fromOffset() != ReplaySelection.UNBOUNDED_FROM
                && selection.toOffset() != ReplaySelection.UNBOUNDED_TO
                && selection.fromOffset() >= selection.toOffset()) {
            errors.add(new KeyError(ClfsSourceConfig.TO_OFFSET, ClfsSourceConfig.TO_OFFSET + " ("
                    + selection.toOffset() + ") must be above " + ClfsSourceConfig.FROM_OFFSET + " ("
                    + selection.fromOffset() + "): the range [from, to) holds nothing"));
        }
        return errors;
    }

    /** The timestamp and offset selectors; the values passed their validators. */
    static ReplaySelection selection(Function<String, String> value) {
        if (text(value, ClfsSourceConfig.MODE).equalsIgnoreCase("archive")) {
            return ReplaySelection.ALL;
        }
        return new ReplaySelection(
                time(value, ClfsSourceConfig.FROM_TIMESTAMP, ReplaySelection.UNBOUNDED_FROM),
                time(value, ClfsSourceConfig.TO_TIMESTAMP, ReplaySelection.UNBOUNDED_TO),
                offset(value, ClfsSourceConfig.FROM_OFFSET, ReplaySelection.UNBOUNDED_FROM),
                offset(value, ClfsSourceConfig.TO_OFFSET, ReplaySelection.UNBOUNDED_TO));
    }

    private static long time(Function<String, String> value, String key, long unbounded) {
        String s = text(value, key);
        return s.isEmpty() ? unbounded : TimestampText.parse(s);
    }

    private static long offset(Function<String, String> value, String key, long unbounded) {
        String s = text(value, key);
        return s.isEmpty() ? unbounded : SourceValidators.parseOffset(key, s);
    }

    private static String text(Function<String, String> value, String key) {
        String s = value.apply(key);
        return s == null ? "" : s.trim();
    }
}

package io.clfs.connect.source;

import io.clfs.connect.envelope.EnvelopeFormatException;
import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.log.ClfsException;
import io.clfs.log.LogRecord;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import io.clfs.log.ReadContext;

/**
 * Where a selective read starts without reading the log from its tail: the newest sink restart
 * area at or above {@code lower} before which no record is selected (see
 * {@link ReplaySelection#nothingUpTo}); each restart area carries the last offset and the newest
 * timestamp up to it, and both only grow along the chain, so walking back from the newest, the
 * first one that qualifies is the latest. Costs one read per restart area above the start.
 */
public final class RangeStart {
    private RangeStart() {
    }

    /** The LSN to read forward from: a restart record, or {@code lower} when none qualifies. */
    public static long find(LogStream stream, ReplaySelection selection, long lower) {
        if (selection.all() || stream.restartLsn() == Lsn.INVALID) {
            return lower;
        }
        try (ReadContext areas = stream.restartAreas()) {
            for (LogRecord r = areas.next(); r != null && !Lsn.less(r.lsn(), lower); r = areas.next()) {
                if (SinkRestartArea.isRestartArea(r.data()) && selection.nothingUpTo(SinkRestartArea.decode(r.data()))) {
                    return r.lsn();
                }
            }
        } catch (ClfsException | EnvelopeFormatException e) {
            // The chain runs below the tails (reclaimed) or holds a foreign restart area: read from lower.
        }
        return lower;
    }
}

package io.clfs.connect.source;

import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.connect.envelope.SinkRestartArea;
import io.clfs.log.LogRecord;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import io.clfs.log.ReadContext;
import io.clfs.log.ReadMode;
import io.clfs.log.RecordFilter;

/**
 * What a sink log holds now, found with a few reads (its first and last data records and its
 * newest restart area): for messages that say why a range selects nothing.
 *
 * @param firstOffset     origin offset of the first readable data record, -1 when none
 * @param lastOffset      origin offset of the last data record, -1 when none
 * @param newestTimestamp newest timestamp the newest restart area vouches for, -1 unknown
 */
public record LogHoldings(long firstOffset, long lastOffset, long newestTimestamp) {

    public static LogHoldings of(LogStream stream) {
        long first = -1;
        long last = -1;
        long newest = -1;
        try (ReadContext c = stream.read(stream.lowerTail(), ReadMode.FORWARD, RecordFilter.DATA)) {
            LogRecord r = c.next();
            if (r != null && EnvelopeCodec.isEnvelope(r.data())) {
                first = EnvelopeCodec.decodeFixed(r.data()).offset();
            }
            if (stream.lastDataLsn() != Lsn.INVALID) {
                LogRecord l = stream.read(stream.lastDataLsn());
                if (EnvelopeCodec.isEnvelope(l.data())) {
                    last = EnvelopeCodec.decodeFixed(l.data()).offset();
                }
            }
            LogRecord ra = stream.readRestartArea();
            if (ra != null && SinkRestartArea.isRestartArea(ra.data())) {
                newest = SinkRestartArea.decode(ra.data()).maxTimestamp();
            }
        } catch (RuntimeException e) {
            // best effort: a message reads "unknown" rather than failing on it
        }
        return new LogHoldings(first, last, newest);
    }

    @Override
    public String toString() {
        if (firstOffset < 0) {
            return "no readable data record";
        }
        return "origin offsets " + firstOffset + ".." + lastOffset
                + (newestTimestamp >= 0 ? ", timestamps up to at least " + TimestampText.format(newestTimestamp)
                : "");
    }
}

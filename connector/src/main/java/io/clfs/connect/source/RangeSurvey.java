package io.clfs.connect.source;

import io.clfs.connect.envelope.Envelope;
import io.clfs.connect.envelope.EnvelopeCodec;
import io.clfs.log.LogRecord;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import io.clfs.log.ReadContext;
import io.clfs.log.ReadMode;
import io.clfs.log.RecordFilter;

/**
 * What a range replay of one log would produce, read before producing anything: for the
 * preflight checks and {@code clfs restore-check}. Reads the selected range once, from the same
 * start a replay finds ({@link RangeStart}).
 *
 * @param records         data records selected
 * @param bytes           their size in Kafka requests (upper bound, as the task checks it)
 * @param largest         the largest of them, and {@code largestLsn} where it is
 * @param oldestTimestamp lowest timestamp among them, -1 none
 * @param newestTimestamp highest timestamp among them, -1 none
 * @param nullKeys        records with a null key
 */
public record RangeSurvey(String originTopic, int originPartition, long records, long bytes, long largest,
                          long largestLsn, long oldestTimestamp, long newestTimestamp, long nullKeys) {

    /**
     * @param from first LSN, or {@link Lsn#INVALID} for the lower tail
     * @param to   LSN to stop before, or {@link Lsn#INVALID} for the end
     */
    public static RangeSurvey of(String originTopic, int originPartition, LogStream stream, ReplaySelection selection,
                                 long from, long to, boolean replayHeaders) {
        long start = RangeStart.find(stream, selection, from == Lsn.INVALID ? stream.lowerTail() : from);
        long records = 0;
        long bytes = 0;
        long largest = 0;
        long largestLsn = Lsn.INVALID;
        long oldest = Long.MAX_VALUE;
        long newest = -1;
        long nullKeys = 0;
        try (ReadContext c = stream.read(start, ReadMode.FORWARD, RecordFilter.DATA)) {
            for (LogRecord r = c.next(); r != null && (to == Lsn.INVALID || Lsn.less(r.lsn(), to)); r = c.next()) {
                Envelope e = EnvelopeCodec.decode(r.data());
                if (selection.pastEnd(e.offset())) {
                    break;
                }
                if (!selection.selects(e.offset(), e.timestamp())) {
                    continue;
                }
                originTopic = e.topic();
                originPartition = e.partition();
                int size = ReplayRecordBuilder.sizeOf(e, replayHeaders);
                records++;
                bytes += size;
                if (size > largest) {
                    largest = size;
                    largestLsn = r.lsn();
                }
                if (e.timestamp() >= 0) {
                    oldest = Math.min(oldest, e.timestamp());
                    newest = Math.max(newest, e.timestamp());
                }
                if (e.key().bytes() == null) {
                    nullKeys++;
                }
            }
        }
        return new RangeSurvey(originTopic, originPartition, records, bytes, largest, largestLsn,
                oldest == Long.MAX_VALUE ? -1 : oldest, newest, nullKeys);
    }
}

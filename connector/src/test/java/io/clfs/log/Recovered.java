package io.clfs.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * What a recovered log shows of its one stream, and the checks that it is a state the client's
 * acknowledged calls allow: nothing acknowledged lost, nothing invented, stale or duplicated.
 */
record Recovered(List<Seen> records, long base, long archiveTail, long restartLsn, byte[] restartPayload,
                 long durableEnd, long lastLsn) {

    record Seen(long lsn, RecordType type, long previous, byte[] payload) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Seen s && s.lsn == lsn && s.type == type && s.previous == previous
                    && Arrays.equals(s.payload, payload);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(lsn);
        }

        @Override
        public String toString() {
            return type + "@" + Lsn.toString(lsn);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Recovered r && r.records.equals(records) && r.base == base && r.archiveTail == archiveTail
                && r.restartLsn == restartLsn && Arrays.equals(r.restartPayload, restartPayload)
                && r.durableEnd == durableEnd && r.lastLsn == lastLsn;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(durableEnd);
    }

    @Override
    public String toString() {
        return records.size() + " records " + (records.isEmpty() ? "" : records.get(0) + ".." + records.get(records.size() - 1))
                + ", base " + Lsn.toString(base) + ", archive tail " + Lsn.toString(archiveTail) + ", restart "
                + Lsn.toString(restartLsn) + ", durable end " + Lsn.toString(durableEnd) + ", last " + Lsn.toString(lastLsn);
    }

    /** Reads every readable record forward from the lower tail, and the tails and newest restart area. */
    static Recovered of(ClfsLog log) {
        return of(log.stream());
    }

    /** As {@link #of(ClfsLog)} for one stream of a multiplexed log. */
    static Recovered of(LogStream s) {
        List<Seen> seen = new ArrayList<>();
        try (ReadContext ctx = s.readFromTail(RecordFilter.ALL)) {
            for (LogRecord r = ctx.next(); r != null; r = ctx.next()) {
                seen.add(new Seen(r.lsn(), r.type(), r.previous(), r.bytes()));
            }
        }
        long restart = s.restartLsn();
        byte[] restartPayload = null;
        if (restart != Lsn.INVALID && !Lsn.less(restart, s.log().archiveEnabled()
                ? Lsn.min(s.baseLsn(), s.archiveTail()) : s.baseLsn())) {
            restartPayload = s.readRestartArea().bytes();
        }
        return new Recovered(List.copyOf(seen), s.baseLsn(), s.archiveTail(), restart, restartPayload,
                s.durableEnd(), s.lastLsn());
    }

    long lowerTail() {
        return Lsn.min(base, archiveTail);
    }

    /**
     * Checks this state against what the client did, and returns how many records of
     * {@code e.records} survived (those below the lower tail count as survived: they were durable).
     */
    int check(Expected e) {
        assertThat(Lsn.less(durableEnd, base)).as("base %s past the durable end %s", Lsn.toString(base),
                Lsn.toString(durableEnd)).isFalse();
        assertThat(Lsn.less(durableEnd, archiveTail)).as("archive tail %s past the durable end %s",
                Lsn.toString(archiveTail), Lsn.toString(durableEnd)).isFalse();
        assertThat(e.bases.subList(e.basesAcked, e.bases.size())).as("base LSN is one asked for since the last"
                + " acknowledged move").contains(base);
        assertThat(e.archiveTails.subList(e.archiveTailsAcked, e.archiveTails.size())).as("archive tail is one"
                + " asked for since the last acknowledged move").contains(archiveTail);

        int first = firstAtOrAbove(e, lowerTail());
        if (!records.isEmpty()) {
            Expected.Rec named = e.named(records.get(0).payload());
            assertThat(named).as("first record read %s is one that was appended (it names %s)", records.get(0),
                    Expected.describe(records.get(0).payload())).isNotNull();
            assertThat(named.index).as("first record read is the first at or above the lower tail %s",
                    Lsn.toString(lowerTail())).isEqualTo(first);
        }
        // The previous link each record should carry: the last record of its type before it.
        long lastData = Lsn.INVALID;
        long lastRestart = Lsn.INVALID;
        for (int i = 0; i < first; i++) {
            Expected.Rec r = e.records.get(i);
            if (r.type == RecordType.DATA) {
                lastData = r.lsn;
            } else {
                lastRestart = r.lsn;
            }
        }
        // Plain comparisons: this loop runs for every record of thousands of crash images.
        for (int j = 0; j < records.size(); j++) {
            Seen r = records.get(j);
            if (first + j >= e.records.size()) {
                fail("record %s read beyond the %d appended", r, e.records.size());
            }
            Expected.Rec want = e.records.get(first + j);
            if (want.lsn == Lsn.INVALID) {
                want.lsn = r.lsn(); // an append cut short by the crash: only the log knows where it went
            }
            if (r.lsn() != want.lsn || r.type() != want.type || !Arrays.equals(r.payload(), want.payload)) {
                fail("read %s where %s was appended: not the record appended there (it names %s)", r, want,
                        Expected.describe(r.payload()));
            }
            long previous = want.type == RecordType.DATA ? lastData : lastRestart;
            if (r.previous() != previous) {
                fail("previous link of %s is %s, expected %s", want, Lsn.toString(r.previous()), Lsn.toString(previous));
            }
            if (!Lsn.less(r.lsn(), durableEnd)) {
                fail("%s at or past the durable end %s", want, Lsn.toString(durableEnd));
            }
            if (want.type == RecordType.DATA) {
                lastData = r.lsn();
            } else {
                lastRestart = r.lsn();
            }
        }
        int survived = first + records.size();
        assertThat(survived).as("every acknowledged record at or above the lower tail %s is read (%d of %d"
                + " appended were acknowledged)", Lsn.toString(lowerTail()), e.acked, e.records.size())
                .isGreaterThanOrEqualTo(e.acked);

        if (survived > 0) {
            assertThat(lastLsn).as("last LSN is the last surviving record").isEqualTo(e.records.get(survived - 1).lsn);
        }
        checkRestart(e, survived);
        return survived;
    }

    private void checkRestart(Expected e, int survived) {
        Expected.Rec newest = e.lastBefore(survived, RecordType.RESTART);
        if (newest == null) {
            assertThat(restartLsn).as("no restart area was written, or survived").isEqualTo(Lsn.INVALID);
            return;
        }
        assertThat(newest.index).as("acknowledged restart areas survive").isGreaterThanOrEqualTo(e.restartAcked);
        assertThat(restartLsn).as("newest restart area is the newest one that survived, %s", newest)
                .isEqualTo(newest.lsn);
        assertThat(Lsn.less(restartLsn, durableEnd)).as("restart area below the durable end").isTrue();
        if (restartPayload != null) {
            assertThat(Arrays.equals(restartPayload, newest.payload)).as("restart area read back is the one written"
                    + " (it names %s)", Expected.describe(restartPayload)).isTrue();
        }
    }

    /** The index of the first record at or above {@code lsn}; an append that never returned counts as above. */
    private static int firstAtOrAbove(Expected e, long lsn) {
        int lo = 0;
        int hi = e.records.size();
        while (lo < hi) { // LSNs grow with the index; only a last, unreturned append has none
            int mid = (lo + hi) >>> 1;
            long at = e.records.get(mid).lsn;
            if (at != Lsn.INVALID && Lsn.less(at, lsn)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * After recovery the writer can go on: a new record lands above everything that survived or was
     * acknowledged, links back to the last surviving data record, and records that were lost stay lost.
     */
    void checkWriterContinues(ClfsLog log, Expected e, int survived) {
        LogStream s = log.stream();
        byte[] payload = "after recovery".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long lsn = s.appendForced(java.nio.ByteBuffer.wrap(payload));
        int floor = Math.max(survived, e.acked);
        if (floor > 0) {
            long highest = e.records.get(floor - 1).lsn;
            assertThat(Lsn.less(highest, lsn)).as("new LSN %s above every surviving or acknowledged LSN %s",
                    Lsn.toString(lsn), Lsn.toString(highest)).isTrue();
        }
        LogRecord back = s.read(lsn);
        assertThat(back.bytes()).isEqualTo(payload);
        Expected.Rec prevData = e.lastBefore(survived, RecordType.DATA);
        assertThat(back.previous()).as("new record links to the last surviving data record")
                .isEqualTo(prevData == null ? Lsn.INVALID : prevData.lsn);
        for (int i = survived; i < e.records.size(); i++) {
            Expected.Rec lost = e.records.get(i);
            if (lost.lsn == Lsn.INVALID || lost.lsn == lsn) {
                continue;
            }
            try {
                LogRecord r = s.read(lost.lsn);
                fail("lost record %s was read back after recovery as %s", lost, r);
            } catch (NotARecordException expected) {
                // lost records are gone
            }
        }
        assertThatThrownBy(() -> s.read(s.durableEnd())).isInstanceOf(NotARecordException.class);
    }
}

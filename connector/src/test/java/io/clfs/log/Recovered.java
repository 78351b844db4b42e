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
        LogStream s = log.stream();
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
            assertThat(named).as("first record read %s is one that was appended", records.get(0)).isNotNull();
            assertThat(named.index).as("first record read is the first at or above the lower tail %s",
                    Lsn.toString(lowerTail())).isEqualTo(first);
        }
        for (int j = 0; j < records.size(); j++) {
            Seen r = records.get(j);
            assertThat(first + j).as("record %s read beyond everything appended", r).isLessThan(e.records.size());
            Expected.Rec want = e.records.get(first + j);
            if (want.lsn == Lsn.INVALID) {
                want.lsn = r.lsn(); // an append cut short by the crash: only the log knows where it went
            }
            assertThat(r.lsn()).as("LSN of record %d", want.index).isEqualTo(want.lsn);
            assertThat(r.type()).as("type of %s", want).isEqualTo(want.type);
            assertThat(r.payload()).as("payload of %s (a stale or invented record?)", want).isEqualTo(want.payload);
            Expected.Rec prev = e.lastBefore(want.index, want.type);
            assertThat(r.previous()).as("previous link of %s", want).isEqualTo(prev == null ? Lsn.INVALID : prev.lsn);
            assertThat(Lsn.less(r.lsn(), durableEnd)).as("%s below the durable end", want).isTrue();
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
            assertThat(restartPayload).as("restart area read back is the one written").isEqualTo(newest.payload);
        }
    }

    /** The index of the first record at or above {@code lsn}; an append that never returned counts as above. */
    private static int firstAtOrAbove(Expected e, long lsn) {
        for (Expected.Rec r : e.records) {
            if (r.lsn == Lsn.INVALID || !Lsn.less(r.lsn, lsn)) {
                return r.index;
            }
        }
        return e.records.size();
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

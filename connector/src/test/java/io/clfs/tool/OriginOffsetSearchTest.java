package io.clfs.tool;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OriginOffsetSearchTest {

    /** A replay partition: the records of the origin partition searched, each (offset here, origin offset). */
    private static final class FakePartition implements OriginOffsetSearch.Probe {
        final List<OriginOffsetSearch.Probed> records = new ArrayList<>();
        int probes;

        FakePartition add(long offset, long originOffset) {
            records.add(new OriginOffsetSearch.Probed(offset, originOffset));
            return this;
        }

        @Override
        public OriginOffsetSearch.Probed first(long from, long before) {
            probes++;
            return records.stream().filter(r -> r.offset() >= from && r.offset() < before).findFirst().orElse(null);
        }

        long find(long begin, long end, long committed) {
            return OriginOffsetSearch.find(this, begin, end, committed);
        }
    }

    /** Replay offsets 0..n-1 hold origin offsets 100..100+n-1. */
    private static FakePartition dense(int n) {
        FakePartition p = new FakePartition();
        for (int i = 0; i < n; i++) {
            p.add(i, 100 + i);
        }
        return p;
    }

    @Test
    void committedBeforeTheFirstRecordStartsAtTheFirst() {
        assertThat(dense(10).find(0, 10, 0)).isEqualTo(0);
        assertThat(dense(10).find(0, 10, 100)).isEqualTo(0);
    }

    @Test
    void committedAfterTheLastRecordIsAtTheEnd() {
        assertThat(dense(10).find(0, 10, 110)).isEqualTo(10);
        assertThat(dense(10).find(0, 10, 5_000)).isEqualTo(10);
    }

    @Test
    void committedExactlyOnARecordStartsAtThatRecord() {
        for (int i = 0; i < 10; i++) {
            assertThat(dense(10).find(0, 10, 100 + i)).as("origin %d", 100 + i).isEqualTo(i);
        }
    }

    @Test
    void committedInAGapOfOriginOffsetsStartsAtTheNextRecord() {
        // Origin offsets 10, 20, 30 (compacted origin, or a time window): 15 falls between 10 and 20.
        FakePartition p = new FakePartition().add(0, 10).add(1, 20).add(2, 30);
        assertThat(p.find(0, 3, 15)).isEqualTo(1);
        assertThat(p.find(0, 3, 21)).isEqualTo(2);
    }

    @Test
    void gapsInTheReplayOffsetsAndOtherOriginsInBetweenAreSkipped() {
        // Replay offsets 5, 9, 10, 40 hold this origin partition; the others hold transaction markers or
        // records of other origin partitions (a mapped replay); the partition begins at 3 and ends at 50.
        FakePartition p = new FakePartition().add(5, 0).add(9, 1).add(10, 2).add(40, 3);
        assertThat(p.find(3, 50, 0)).isEqualTo(5);
        assertThat(p.find(3, 50, 2)).isEqualTo(10);
        assertThat(p.find(3, 50, 3)).isEqualTo(40);
        assertThat(p.find(3, 50, 4)).isEqualTo(50);
    }

    @Test
    void anEmptyPartitionIsAtItsEnd() {
        assertThat(new FakePartition().find(7, 7, 0)).isEqualTo(7);
        assertThat(new FakePartition().find(0, 20, 0)).isEqualTo(20);
    }

    @Test
    void probesGrowLogarithmically() {
        int n = 1 << 20;
        for (long committed : new long[]{0, 100, 100 + n / 3, 100 + n - 1, 100 + n}) {
            FakePartition p = dense(n);
            assertThat(p.find(0, n, committed)).isEqualTo(Math.min(n, Math.max(0, committed - 100)));
            assertThat(p.probes).as("probes for origin offset %d", committed).isLessThanOrEqualTo(21);
        }
    }
}

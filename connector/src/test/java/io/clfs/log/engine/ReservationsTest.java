package io.clfs.log.engine;

import io.clfs.log.LogFullException;
import io.clfs.log.Lsn;
import io.clfs.log.ReservationExceededException;
import io.clfs.log.format.Layout;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReservationsTest {
    private static final long USABLE = 100_000;
    private static final long FRAMING = Layout.BLOCK_HEADER_SIZE + Layout.SECTOR;

    private final Reservations reservations = new Reservations(Path.of("log"), USABLE);
    private final StreamState stream = new StreamState(new Metadata.StreamEntry(0, "s", 0, 0, Lsn.INVALID,
            Lsn.INVALID, Lsn.INVALID));

    @Test
    void spaceForCountsHeaderAlignmentAndWorstCaseFramingPerRecord() {
        assertThat(Reservations.spaceFor()).isZero();
        assertThat(Reservations.spaceFor(0)).isEqualTo(40 + FRAMING);
        assertThat(Reservations.spaceFor(1, 8)).isEqualTo(48 + FRAMING + 48 + FRAMING);
        assertThatThrownBy(() -> Reservations.spaceFor(5, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void capacityLeavesRoomForTheLargestRecordAtEveryContainerEnd() {
        assertThat(reservations.capacity(5_000, 2, 1_000)).isEqualTo(4_000 + 2 * (USABLE - 1_000));
        assertThat(reservations.capacity(500, 0, 1_000)).isZero();
        assertThat(reservations.capacity(0, 3, USABLE + 1)).isZero();
    }

    @Test
    void reservesWhatCanBeGuaranteedAndRefusesMore() {
        Reservations.Grant g = reservations.reserve(stream, 3_000, 1_000, 5_000, 0);

        assertThat(g.remaining()).isEqualTo(3_000);
        assertThat(reservations.total()).isEqualTo(3_000);
        assertThat(stream.reservedBytes()).isEqualTo(3_000);
        // 4 000 can be guaranteed in all; 3 000 are taken
        assertThatThrownBy(() -> reservations.reserve(stream, 1_001, 1_000, 5_000, 0))
                .isInstanceOf(LogFullException.class).hasMessageContaining("at most 4000");
        assertThat(reservations.total()).isEqualTo(3_000);
    }

    @Test
    void consumingTakesFromTheGrantAndTheTotals() {
        Reservations.Grant g = reservations.reserve(stream, 3_000, 1_000, 50_000, 0);

        reservations.consume(stream, g, 1_200);

        assertThat(g.remaining()).isEqualTo(1_800);
        assertThat(reservations.total()).isEqualTo(1_800);
        assertThat(stream.reservedBytes()).isEqualTo(1_800);
        assertThatThrownBy(() -> reservations.consume(stream, g, 1_801))
                .isInstanceOf(ReservationExceededException.class).hasMessageContaining("stream 's'");
    }

    @Test
    void releaseGivesBackTheRestOnce() {
        Reservations.Grant g = reservations.reserve(stream, 3_000, 1_000, 50_000, 0);
        reservations.consume(stream, g, 1_000);

        reservations.release(stream, g);
        reservations.release(stream, g);

        assertThat(g.remaining()).isZero();
        assertThat(reservations.total()).isZero();
        assertThat(stream.reservedBytes()).isZero();
    }

    @Test
    void anUnreservedAppendMayNotTakeReservedSpace() {
        reservations.reserve(stream, 3_000, 1_000, 5_000, 0);

        assertThat(reservations.leavesRoom(1_000, 5_000, 0)).isTrue();
        assertThat(reservations.leavesRoom(1_001, 5_000, 0)).isFalse();
        // too big for the active container: it takes a spare one, which must exist
        assertThat(reservations.leavesRoom(6_000, 5_000, 0)).isFalse();
        assertThat(reservations.leavesRoom(6_000, 5_000, 1)).isTrue();
    }
}

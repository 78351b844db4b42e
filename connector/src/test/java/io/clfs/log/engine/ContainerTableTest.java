package io.clfs.log.engine;

import io.clfs.log.engine.Metadata.ContainerEntry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerTableTest {
    private static ContainerEntry c(int physical, long logical) {
        return new ContainerEntry(physical, logical);
    }

    @Test
    void reclaimsOnlyContainersWhollyBelowThePointAndNotActive() {
        List<ContainerEntry> table = List.of(c(0, 3), c(1, 4), c(2, 5), c(3, 0));

        assertThat(ContainerTable.reclaimed(table, 5, 5)).containsExactly(c(0, 0), c(1, 0), c(2, 5), c(3, 0));
        assertThat(ContainerTable.reclaimableCount(table, 5, 5)).isEqualTo(2);
        // the active container stays even when the reclaim point is past it
        assertThat(ContainerTable.reclaimed(table, 6, 4)).containsExactly(c(0, 0), c(1, 4), c(2, 0), c(3, 0));
        assertThat(ContainerTable.reclaimableCount(table, 3, 5)).isZero();
    }

    @Test
    void firstFreeIsTheLowestFreePhysicalId() {
        assertThat(ContainerTable.firstFree(List.of(c(4, 0), c(1, 7), c(2, 0)))).isEqualTo(2);
        assertThat(ContainerTable.firstFree(List.of(c(0, 1), c(1, 2)))).isEqualTo(-1);
    }

    @Test
    void assignGivesOnePhysicalContainerALogicalId() {
        assertThat(ContainerTable.assign(List.of(c(0, 1), c(1, 0), c(2, 0)), 1, 2))
                .containsExactly(c(0, 1), c(1, 2), c(2, 0));
    }

    @Test
    void findsPhysicalAndLogicalIds() {
        List<ContainerEntry> table = List.of(c(0, 1), c(2, 2), c(3, 0));

        assertThat(ContainerTable.containsPhysical(table, 2)).isTrue();
        assertThat(ContainerTable.containsPhysical(table, 1)).isFalse();
        assertThat(ContainerTable.lowestUnusedPhysical(table)).isEqualTo(1);
        assertThat(ContainerTable.lowestUnusedPhysical(List.of(c(0, 1), c(1, 0)))).isEqualTo(2);
        assertThat(ContainerTable.freedBy(table, 2)).isFalse();
        assertThat(ContainerTable.freedBy(table, 5)).isTrue();
    }

    @Test
    void shrinkDropsHighestFreeContainersDownToTheShareAndTheMinimum() {
        List<ContainerEntry> table = List.of(c(0, 1), c(1, 0), c(2, 2), c(3, 0), c(4, 0), c(5, 0));

        assertThat(ContainerTable.shrunk(table, 2, 0)).isSameAs(table);
        // 4 of 6 free; at 50 % two go (the highest ids), leaving 2 of 4 free
        assertThat(ContainerTable.shrunk(table, 2, 50)).containsExactly(c(0, 1), c(1, 0), c(2, 2), c(3, 0));
        // the minimum wins over the share
        assertThat(ContainerTable.shrunk(table, 5, 10)).containsExactly(c(0, 1), c(1, 0), c(2, 2), c(3, 0),
                c(4, 0));
        assertThat(ContainerTable.shrunk(List.of(c(0, 1), c(1, 2)), 2, 1)).containsExactly(c(0, 1), c(1, 2));
    }

    @Test
    void spareCountsFreeAssignedAheadReclaimableAndGrowthRoom() {
        // active is 5; 6 is assigned ahead, 3 lies below the reclaim point, physical 3 is free
        List<ContainerEntry> table = List.of(c(0, 3), c(1, 5), c(2, 6), c(3, 0));

        assertThat(ContainerTable.spare(table, 5, 5, 4)).isEqualTo(3);
        assertThat(ContainerTable.spare(table, 3, 5, 10)).isEqualTo(2 + 6);
    }
}

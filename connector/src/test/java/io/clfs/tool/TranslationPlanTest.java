package io.clfs.tool;

import io.clfs.connect.source.ClfsSourceConfig.PartitionMapping;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TranslationPlanTest {
    private final List<String> searched = new ArrayList<>();

    /** The offset of origin p's committed c in replay partition q: 1000 * q + c + p (distinct per pair). */
    private long search(int p, int q, long c) {
        searched.add(p + "->" + q);
        return 1000L * q + c + p;
    }

    @Test
    void preservedPartitionsTranslateOneToOneAndLeaveUncommittedAlone() {
        TranslationPlan plan = TranslationPlan.of(3, Map.of(0, 5L, 2, 7L), 4, PartitionMapping.NONE,
                new long[]{10, 2000, 2010, 0}, this::search);
        assertThat(plan.targets()).extracting(TranslationPlan.Target::partition).containsExactly(0, 1, 2);
        assertThat(plan.targets().get(0).offset()).isEqualTo(OptionalLong.of(5));
        assertThat(plan.targets().get(1).offset()).isEmpty();
        assertThat(plan.targets().get(2).offset()).isEqualTo(OptionalLong.of(2009));
        assertThat(plan.targets().get(2).atEnd()).isFalse();
        assertThat(searched).containsExactly("0->0", "2->2");
    }

    @Test
    void anOffsetAtTheEndIsAtEnd() {
        TranslationPlan plan = TranslationPlan.of(1, Map.of(0, 10L), 1, PartitionMapping.NONE, new long[]{10},
                this::search);
        assertThat(plan.targets().get(0).atEnd()).isTrue();
    }

    @Test
    void fewerTargetPartitionsWithoutAMappingAreRefused() {
        assertThatThrownBy(() -> TranslationPlan.of(4, Map.of(), 2, PartitionMapping.NONE, new long[2], this::search))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 partition(s)")
                .hasMessageContaining("origin's 4").hasMessageContaining("--mapping");
    }

    @Test
    void moduloTakesTheLowestOfTheOriginPartitionsAPartitionHolds() {
        TranslationPlan plan = TranslationPlan.of(4, Map.of(0, 50L, 1, 9L, 2, 3L, 3, 8L), 2, PartitionMapping.MODULO,
                new long[]{5000, 5000}, this::search);
        assertThat(searched).containsExactlyInAnyOrder("0->0", "2->0", "1->1", "3->1");
        assertThat(plan.targets().get(0).offset()).isEqualTo(OptionalLong.of(5)); // min(50, 3 + 2)
        assertThat(plan.targets().get(1).offset()).isEqualTo(OptionalLong.of(1010)); // min(1000+9+1, 1000+8+3)
    }

    @Test
    void hashLeavesAPartitionAloneWhenAnOriginPartitionItHoldsHasNothingCommitted() {
        TranslationPlan plan = TranslationPlan.of(3, Map.of(0, 1L, 1, 1L), 2, PartitionMapping.HASH,
                new long[]{5000, 5000}, this::search);
        assertThat(plan.targets()).allSatisfy(t -> {
            assertThat(t.origins()).hasSize(3);
            assertThat(t.offset()).isEmpty();
        });
    }

    @Test
    void aMappingWithEnoughTargetPartitionsPreservesThem() {
        TranslationPlan plan = TranslationPlan.of(2, Map.of(0, 1L, 1, 1L), 2, PartitionMapping.HASH,
                new long[]{5000, 5000}, this::search);
        assertThat(searched).containsExactly("0->0", "1->1");
        assertThat(plan.targets()).allSatisfy(t -> assertThat(t.origins()).hasSize(1));
    }
}

package io.clfs.log;

import io.clfs.log.engine.MetadataStore;
import io.clfs.log.io.DelegatingFileIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Growth, shrinking, tail pushing, reservations at a full log and policy changes. */
class SpaceManagementTest {
    private static final LogPolicy SMALL = LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096);
    private static final byte[] KB = new byte[1000];

    @TempDir
    Path dir;

    private long containerFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".clfs")).count();
        }
    }

    /** Appends about one container's worth of records and returns the last LSN. */
    private static long fillOneContainer(LogStream s) {
        long last = 0;
        for (int i = 0; i < 520; i++) {
            last = s.append(KB);
        }
        return last;
    }

    @Test
    void growsByTheGrowthStepUpToTheMaximumThenReportsFull() throws Exception {
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, false, SMALL.withContainers(2, 6).withGrowthStep(2))) {
            LogStream s = log.stream();
            assertThat(containerFiles()).isEqualTo(2);
            fillOneContainer(s);
            fillOneContainer(s);
            assertThat(log.info().containers()).hasSize(4);
            assertThat(containerFiles()).isEqualTo(4);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 10; i++) {
                    fillOneContainer(s);
                }
            }).isInstanceOf(LogFullException.class).hasMessageContaining("maximum 6");
            assertThat(log.info().containers()).hasSize(6);
        }
    }

    @Test
    void afterALogFullErrorTheRestOfTheContainerStillTakesSmallerRecords() {
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, false, SMALL.withContainers(2, 2))) {
            LogStream s = log.stream();
            byte[] big = new byte[60_000];
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) {
                    s.append(big);
                }
            }).isInstanceOf(LogFullException.class);
            // 8 such records fill a 512 KiB container but leave ~27 KiB: a restart area still fits there.
            long small = s.writeRestartArea(ByteBuffer.wrap(new byte[100]));
            assertThat(s.readRestartArea().lsn()).isEqualTo(small);
        }
    }

    /** Counts fsyncs of the metadata file. */
    private static final class MetadataForces extends DelegatingFileIO {
        int count;

        @Override
        protected void beforeForce(Path file) {
            if (file.getFileName().toString().equals(MetadataStore.FILE)) {
                count++;
            }
        }
    }

    @Test
    void aTailMoveAssignsTheNextContainerAheadSoTheSwitchWritesNoMetadata() {
        MetadataForces io = new MetadataForces();
        try (ClfsLog log = ClfsLog.create(io, dir, LogKind.DEDICATED, true, SMALL.withContainers(3, 3))) {
            LogStream s = log.stream();
            fillOneContainer(s);
            long inSecond = s.append(KB);
            s.flush(inSecond);
            assertThat(Lsn.container(inSecond)).isEqualTo(2);
            long freeBefore = log.info().freeBytes();

            s.moveTails(inSecond, inSecond); // frees container 1: it is assigned to logical 3 in the same write
            assertThat(log.info().containers()).extracting(LogInfo.ContainerInfo::logicalId, LogInfo.ContainerInfo::state)
                    .containsExactlyInAnyOrder(tuple(3L, LogInfo.ContainerState.READY),
                            tuple(2L, LogInfo.ContainerState.ACTIVE),
                            tuple(0L, LogInfo.ContainerState.FREE));
            assertThat(log.info().freeBytes()).as("a container assigned ahead is still free space")
                    .isGreaterThan(freeBefore);

            int forces = io.count;
            long last = fillOneContainer(s);
            s.flush(last);
            assertThat(Lsn.container(last)).isEqualTo(3);
            assertThat(io.count).as("metadata fsyncs for the switch into the ready container").isEqualTo(forces);
            assertThat(log.info().containers()).filteredOn(c -> c.logicalId() == 3)
                    .extracting(LogInfo.ContainerInfo::state).containsExactly(LogInfo.ContainerState.ACTIVE);
        }
        try (ClfsLog log = ClfsLog.open(dir)) {
            assertThat(log.stream().read(log.stream().lastLsn()).bytes()).hasSize(KB.length);
            assertThat(LogVerifier.verify(dir).faults()).isEmpty();
        }
    }

    @Test
    void autoShrinkDeletesFreeContainersBeyondTheMinimum() throws Exception {
        LogPolicy policy = SMALL.withContainers(2, 8).withAutoShrinkPercent(40);
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, false, policy)) {
            LogStream s = log.stream();
            long last = 0;
            for (int i = 0; i < 6; i++) {
                last = fillOneContainer(s);
            }
            assertThat(log.info().containers().size()).isGreaterThanOrEqualTo(6);
            s.flush(last);
            s.advanceBase(last);
            fillOneContainer(s);
            assertThat(log.info().containers().size()).isLessThan(6);
            assertThat(containerFiles()).isEqualTo(log.info().containers().size());
        }
    }

    @Test
    void theTailPushCallbackIsAskedBeforeTheLogIsFull() {
        List<Long> targets = new ArrayList<>();
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, false, SMALL.withContainers(2, 2))) {
            LogStream s = log.stream();
            // The target is a position: a client moves its tail to its first record at or above it.
            log.setTailPushCallback((stream, target) -> {
                targets.add(target);
                try (ReadContext ctx = s.read(target, ReadMode.FORWARD, RecordFilter.ALL)) {
                    LogRecord first = ctx.next();
                    if (first != null) {
                        s.advanceBase(first.lsn());
                    }
                }
            });
            for (int i = 0; i < 8; i++) {
                s.flush(fillOneContainer(s));
            }
            assertThat(targets).isNotEmpty();
            assertThat(Lsn.container(s.lastLsn())).isGreaterThan(4);
        }
    }

    @Test
    void aFreeSpaceTargetAsksForTailsBeforeSpaceRunsOut() {
        List<Long> targets = new ArrayList<>();
        LogPolicy policy = SMALL.withContainers(2, 4).withFreeSpaceTargetPercent(60);
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, false, policy)) {
            LogStream s = log.stream();
            log.setTailPushCallback((stream, target) -> targets.add(target));
            fillOneContainer(s);
            fillOneContainer(s);
            assertThat(targets).as("asked while containers were still free").isNotEmpty();
            assertThat(log.info().containers()).hasSizeLessThanOrEqualTo(4);
        }
    }

    @Test
    void aReservationStillAppendsWhenTheLogIsOtherwiseFull() {
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, false, SMALL.withContainers(2, 2))) {
            LogStream s = log.stream();
            Reservation r = s.reserve(5000, 5000, 100);
            assertThat(log.info().reservedBytes()).isEqualTo(ClfsLog.spaceFor(5000, 5000, 100));
            assertThatThrownBy(() -> {
                for (int i = 0; i < 5000; i++) {
                    s.append(KB);
                }
            }).isInstanceOf(LogFullException.class).hasMessageContaining("reserved");
            long a = s.append(r, ByteBuffer.wrap(new byte[5000]));
            long b = s.append(r, ByteBuffer.wrap(new byte[5000]));
            long c = s.append(r, ByteBuffer.wrap(new byte[100]));
            assertThat(Lsn.less(a, b) && Lsn.less(b, c)).isTrue();
            assertThatThrownBy(() -> s.append(r, ByteBuffer.wrap(new byte[100])))
                    .isInstanceOf(ReservationExceededException.class);
            r.close();
            assertThat(log.info().reservedBytes()).isZero();
            log.flush();
            assertThat(s.read(c).bytes()).hasSize(100);
        }
    }

    @Test
    void policiesChangeAndPersistButTheLayoutIsFixed() {
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, true, SMALL.withContainers(2, 4))) {
            log.setPolicy(log.policy().withContainers(3, 10).withGrowthStep(2).withAutoShrinkPercent(50));
            assertThat(log.info().containers()).hasSize(3);
            assertThatThrownBy(() -> log.setPolicy(log.policy().withContainerSize(1 << 20)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("containerSize");
        }
        try (ClfsLog log = ClfsLog.open(dir)) {
            assertThat(log.policy().maxContainers()).isEqualTo(10);
            assertThat(log.policy().growthStep()).isEqualTo(2);
            assertThat(log.policy().autoShrinkPercent()).isEqualTo(50);
        }
    }

    @Test
    void invalidPoliciesNameTheField() {
        assertThatThrownBy(() -> SMALL.withContainerSize(1000)).hasMessageContaining("containerSize 1000");
        assertThatThrownBy(() -> SMALL.withContainers(1, 4)).hasMessageContaining("minContainers 1");
        assertThatThrownBy(() -> SMALL.withContainers(4, 3)).hasMessageContaining("maxContainers 3");
        assertThatThrownBy(() -> SMALL.withBlockSize(1000)).hasMessageContaining("blockSize 1000");
    }
}

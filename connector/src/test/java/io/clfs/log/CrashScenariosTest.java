package io.clfs.log;

import io.clfs.log.format.Layout;
import io.clfs.log.io.SimulatedDisk;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hand-built power losses that the exhaustive crash test reaches only by luck. */
class CrashScenariosTest {
    private static final Path DIR = CrashWorkload.DIR;
    private static final LogPolicy POLICY = CrashWorkload.POLICY;

    private static byte[] payload(int size, int tag) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) tag);
        return b;
    }

    /**
     * One flush writes two blocks and loses power before its force: the second block reaches the
     * disk, the first does not. Recovery ends the log where the first was; the second block's old
     * bytes stay on disk. When the writer then leaves the container, those bytes lie below the new
     * durable end, outside the chain: they must never be read as records.
     */
    @Test
    void recordsLostInACrashStayLostWhenTheWriterLeavesTheirContainer() {
        SimulatedDisk disk = new SimulatedDisk();
        ClfsLog log = ClfsLog.create(disk, DIR, LogKind.DEDICATED, true, POLICY);
        LogStream s = log.stream();
        long lsn = s.append(payload(1000, 1));
        while (Lsn.offset(lsn) < POLICY.containerSize() - 24 * 1024) {
            lsn = s.append(payload(1000, 1));
        }
        log.flush();
        long container = Lsn.container(lsn);

        long[] lost = new long[4];
        for (int i = 0; i < lost.length; i++) {
            lost[i] = s.append(payload(1800, 10 + i)); // two to a 4 KiB block
        }
        long firstBlock = Lsn.offset(lost[0]) - 64;
        assertThat(Lsn.offset(lost[2]) - 64).as("second block").isEqualTo(firstBlock + POLICY.blockSize());
        disk.crashAfter(2); // both block writes go out; the force loses power
        assertThatThrownBy(log::flush).isInstanceOf(ClfsIOException.class);
        SimulatedDisk.Image image = disk.crash((file, position, length) -> position != firstBlock);

        ClfsLog recovered = ClfsLog.open(new SimulatedDisk(image), DIR);
        LogStream r = recovered.stream();
        assertThat(r.durableEnd()).isEqualTo(Lsn.of(container, firstBlock));
        for (long l : lost) {
            assertThatThrownBy(() -> r.read(l)).isInstanceOf(NotARecordException.class);
        }

        long big = r.appendForced(java.nio.ByteBuffer.wrap(payload(30_000, 2)));
        assertThat(Lsn.container(big)).as("the big record moved the writer on").isEqualTo(container + 1);
        for (long l : lost) {
            assertThatThrownBy(() -> r.read(l)).as("lost record %s", Lsn.toString(l))
                    .isInstanceOf(NotARecordException.class);
        }
        assertThatThrownBy(() -> r.advanceBase(lost[2])).isInstanceOf(InvalidTailMoveException.class);
        recovered.close();
    }

    /**
     * A crashed writer's block that survived past the recovered end must not join the chain of the
     * next writer, which carries on with the same sequence numbers: the fence its unclean open
     * leaves at the end takes the chain to the next container, past the stray block.
     */
    @Test
    void aCrashedWritersStrayBlockDoesNotJoinTheNextWritersChain() {
        SimulatedDisk disk = new SimulatedDisk();
        ClfsLog log = ClfsLog.create(disk, DIR, LogKind.DEDICATED, true, POLICY);
        LogStream s = log.stream();
        s.appendForced(java.nio.ByteBuffer.wrap(payload(100, 1)));
        long[] first = new long[4];
        for (int i = 0; i < first.length; i++) {
            first[i] = s.append(payload(1800, 10 + i)); // two to a 4 KiB block
        }
        long blockA = Lsn.offset(first[0]) - 64;
        disk.crashAfter(2);
        assertThatThrownBy(log::flush).isInstanceOf(ClfsIOException.class);
        SimulatedDisk second = new SimulatedDisk(disk.crash((file, position, length) -> position != blockA));

        ClfsLog log2 = ClfsLog.open(second, DIR);
        LogStream s2 = log2.stream();
        long[] next = new long[3];
        for (int i = 0; i < next.length; i++) {
            next[i] = s2.append(payload(1800, 20 + i));
        }
        assertThat(next[0]).as("past the fence, at the start of the next container")
                .isEqualTo(Lsn.of(Lsn.container(first[0]) + 1, Layout.CONTAINER_HEADER_SIZE + Layout.BLOCK_HEADER_SIZE));
        s2.flush(next[1]); // the block at A's offset, with A's sequence number; the open block stays unwritten

        ClfsLog log3 = ClfsLog.open(new SimulatedDisk(second.crash(SimulatedDisk.Loss.DROP_ALL, new java.util.Random(1))),
                DIR);
        LogStream s3 = log3.stream();
        assertThat(s3.lastLsn()).isEqualTo(next[1]);
        assertThat(s3.durableEnd()).isEqualTo(next[0] - 64 + POLICY.blockSize());
        assertThat(s3.read(next[1]).bytes()).isEqualTo(payload(1800, 21));
        assertThatThrownBy(() -> s3.read(first[2])).isInstanceOf(NotARecordException.class);
    }
}

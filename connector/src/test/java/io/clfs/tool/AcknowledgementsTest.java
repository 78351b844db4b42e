package io.clfs.tool;

import io.clfs.log.Lsn;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A batch is flushed while the next one is filled, and printed only once its flush returned. */
class AcknowledgementsTest {
    private static final long A = Lsn.of(1, 0x200);
    private static final long B = Lsn.of(1, 0x400);
    private static final long C = Lsn.of(1, 0x600);

    private final StringWriter printed = new StringWriter();
    /** The LSN each flush was asked to reach, in order. */
    private final List<Long> flushedThrough = new CopyOnWriteArrayList<>();

    private Acknowledgements acknowledgements(LongConsumer flush) {
        return new Acknowledgements(lsn -> {
            flush.accept(lsn);
            flushedThrough.add(lsn);
        }, new PrintWriter(printed));
    }

    @Test
    void aHandOffReturnsWhileTheBatchIsFlushedAndItsLsnsArePrintedOnlyOnceTheFlushReturned() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch flushing = new CountDownLatch(1);
        try (Acknowledgements acks = acknowledgements(lsn -> {
            flushing.countDown();
            await(release);
        })) {
            acks.add(A);
            acks.add(B);
            acks.handOff();
            // The appending thread is free again while the force runs (a synchronous flush would still hold it).
            assertThat(flushing.await(10, TimeUnit.SECONDS)).isTrue();
            acks.add(C);
            assertThat(acks.count()).isEqualTo(1);
            assertThat(flushedThrough).isEmpty();
            assertThat(printed.toString()).isEmpty();

            release.countDown();
            acks.finish();
        }
        assertThat(flushedThrough).containsExactly(B, C);
        assertThat(printed.toString().lines()).containsExactly(Lsn.toString(A), Lsn.toString(B), Lsn.toString(C));
    }

    @Test
    void aFailedFlushIsThrownAtTheNextHandOffAndItsBatchIsNeverPrinted() {
        try (Acknowledgements acks = acknowledgements(lsn -> {
            if (lsn == B) {
                throw new IllegalStateException("fsync failed");
            }
        })) {
            acks.add(A);
            acks.handOff();
            acks.finish();
            acks.add(B);
            acks.handOff();
            acks.add(C);
            assertThatThrownBy(acks::handOff).isInstanceOf(IllegalStateException.class).hasMessage("fsync failed");
        }
        assertThat(printed.toString().lines()).containsExactly(Lsn.toString(A));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("not released within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

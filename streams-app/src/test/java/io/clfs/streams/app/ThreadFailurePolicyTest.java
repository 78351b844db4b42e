package io.clfs.streams.app;

import io.clfs.connect.envelope.EnvelopeFormatException;
import io.clfs.log.LogFullException;
import io.clfs.log.ClfsIOException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

class ThreadFailurePolicyTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final ThreadFailurePolicy policy = new ThreadFailurePolicy(2, 60_000, now::get);

    @Test
    void transientErrorsReplaceTheThreadUntilTooManyWithinTheWindow() {
        StreamsException broker = new StreamsException(new TimeoutException("broker away"));
        assertThat(policy.handle(broker)).isEqualTo(REPLACE_THREAD);
        assertThat(policy.handle(new StreamsException(new ClfsIOException("disk", new IOException("EIO")))))
                .isEqualTo(REPLACE_THREAD);
        assertThat(policy.handle(broker)).isEqualTo(SHUTDOWN_CLIENT);
        now.addAndGet(60_000);
        assertThat(policy.handle(broker)).isEqualTo(REPLACE_THREAD);
    }

    @Test
    void errorsANewThreadWouldHitAgainShutDownAtOnce() {
        assertThat(policy.handle(new StreamsException("processing failed",
                new InvalidReplayRecordException("header clfs.lsn is missing")))).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(policy.handle(new StreamsException(new LogFullException("log full")))).isEqualTo(SHUTDOWN_CLIENT);
        assertThat(policy.handle(new StreamsException(new EnvelopeFormatException("not a valid envelope: magic"))))
                .isEqualTo(SHUTDOWN_CLIENT);
        assertThat(ThreadFailurePolicy.fatalCause(new RuntimeException(new IllegalStateException()))).isNull();
    }
}

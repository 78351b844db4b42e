package io.clfs.log;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A log on real files left as a power loss would leave it, every write on disk, in four regions:
 * records below the tails, records between the tails and the checkpoint (the newest restart area),
 * records between the checkpoint and the end the metadata vouches for, and acknowledged records
 * past that (flushed after the last metadata write).
 */
final class WrittenLog {
    static final LogPolicy POLICY = LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096)
            .withContainers(2, 4);

    final Path dir;
    final List<Long> lsns = new ArrayList<>();
    final List<byte[]> payloads = new ArrayList<>();
    /** Index of the first record at or above the lower tail, the first after the checkpoint, the first past the vouched end. */
    int firstReadable;
    int firstAfterCheckpoint;
    int firstUnvouched;
    long checkpoint;
    long vouchedEnd;
    long end;

    private WrittenLog(Path dir) {
        this.dir = dir;
    }

    /** Writes the log in {@code live}, copies it into {@code crashed} while the writer is still open, then closes the writer. */
    static WrittenLog write(Path live, Path crashed, int perRegion) {
        WrittenLog w = new WrittenLog(crashed);
        Random random = new Random(42);
        try (ClfsLog log = ClfsLog.create(live, LogKind.DEDICATED, true, POLICY)) {
            LogStream s = log.stream();
            w.appendFlushed(s, random, perRegion);
            w.firstReadable = perRegion / 2;
            s.setArchiveTail(w.lsns.get(w.firstReadable));
            w.appendFlushed(s, random, perRegion);
            byte[] restart = "restart".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            w.lsns.add(s.writeRestartArea(ByteBuffer.wrap(restart), w.lsns.get(w.firstReadable + 1)));
            w.payloads.add(restart);
            w.firstAfterCheckpoint = w.lsns.size();
            w.appendFlushed(s, random, perRegion);
            s.advanceBase(w.lsns.get(w.firstReadable + 2)); // vouches for everything so far
            w.firstUnvouched = w.lsns.size();
            w.appendFlushed(s, random, Math.max(4, perRegion / 8));
            LogBytes.copy(live, crashed);
            w.checkpoint = log.metadata().checkpoint().position();
            w.vouchedEnd = log.metadata().vouchedEnd();
            w.end = s.durableEnd();
        }
        assertThat(Lsn.less(w.lsns.get(w.firstAfterCheckpoint - 1), w.checkpoint)).isTrue();
        assertThat(Lsn.less(w.checkpoint, w.lsns.get(w.firstAfterCheckpoint))).isTrue();
        assertThat(Lsn.less(w.lsns.get(w.firstUnvouched - 1), w.vouchedEnd)).isTrue();
        assertThat(Lsn.less(w.vouchedEnd, w.lsns.get(w.firstUnvouched))).isTrue();
        return w;
    }

    private void appendFlushed(LogStream s, Random random, int count) {
        for (int i = 0; i < count; i++) {
            byte[] p = new byte[8 + random.nextInt(900)];
            random.nextBytes(p);
            lsns.add(s.append(p));
            payloads.add(p);
            if (i % 7 == 6 || i == count - 1) {
                s.flush(lsns.get(lsns.size() - 1));
            }
        }
    }

    /** Every readable record of the stream, forward from the lower tail. */
    static List<LogRecord> readAll(ClfsLog log) {
        List<LogRecord> out = new ArrayList<>();
        try (ReadContext ctx = log.stream().readFromTail(RecordFilter.ALL)) {
            for (LogRecord r = ctx.next(); r != null; r = ctx.next()) {
                out.add(r);
            }
        }
        return out;
    }

    /** Checks that {@code log} holds exactly records [firstReadable, upTo) as written. */
    void assertRecords(ClfsLog log, int upTo) {
        List<LogRecord> all = readAll(log);
        assertThat(all).hasSize(upTo - firstReadable);
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).lsn()).isEqualTo(lsns.get(firstReadable + i));
            assertThat(Arrays.equals(all.get(i).bytes(), payloads.get(firstReadable + i)))
                    .as("payload of record %d", firstReadable + i).isTrue();
        }
    }

    /** Index of the first record at or above {@code lsn}. */
    int indexAtOrAbove(long lsn) {
        int i = 0;
        while (i < lsns.size() && Lsn.less(lsns.get(i), lsn)) {
            i++;
        }
        return i;
    }
}

package io.clfs.log;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Random sequences of appends, flushes, reservations, restart areas, tail moves, reads and reopens
 * against a plain in-memory model of what the log must hold. Volumes are large enough for
 * containers to be recycled and for the log to fill.
 */
class LogModelPropertyTest {
    private static final LogPolicy POLICY = LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096)
            .withContainers(2, 4);

    interface Cmd {
    }

    record AppendMany(int count, int size, boolean force) implements Cmd {
    }

    record Flush() implements Cmd {
    }

    record Restart(int size, boolean moveBase) implements Cmd {
    }

    record MoveBase(int pick) implements Cmd {
    }

    record MoveArchive(int pick) implements Cmd {
    }

    record Read(int pick) implements Cmd {
    }

    record Reserve(int size, boolean use) implements Cmd {
    }

    record Reopen() implements Cmd {
    }

    @Provide
    Arbitrary<Cmd> commands() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(50, 300).flatMap(n ->
                        Arbitraries.integers().between(0, 4000).flatMap(size ->
                                Arbitraries.of(true, false).map(force -> new AppendMany(n, size, force))))),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new Flush())),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 200).flatMap(size ->
                        Arbitraries.of(true, false).map(b -> new Restart(size, b)))),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 1000).map(MoveBase::new)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 1000).map(MoveArchive::new)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 1000).map(Read::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 5000).flatMap(size ->
                        Arbitraries.of(true, false).map(use -> new Reserve(size, use)))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Reopen())));
    }

    /** A record the model expects, with its payload. */
    record Expected(long lsn, RecordType type, byte[] data) {
    }

    /** What the log must hold: every record appended, which are certainly durable, and the tails. */
    static final class Model {
        final List<Expected> records = new ArrayList<>();
        int durableCount;
        long base = Lsn.of(1, 512);
        long archive = Lsn.of(1, 512);
        long restart = Lsn.INVALID;
        boolean sawFull;

        long lowerTail() {
            return Lsn.min(base, archive);
        }

        List<Expected> readable() {
            return records.stream().filter(r -> !Lsn.less(r.lsn, lowerTail())).toList();
        }

        Expected pick(int pick, boolean durableOnly, long atLeast) {
            List<Expected> candidates = records.subList(0, durableOnly ? durableCount : records.size()).stream()
                    .filter(r -> !Lsn.less(r.lsn, atLeast)).toList();
            return candidates.isEmpty() ? null : candidates.get(pick % candidates.size());
        }
    }

    @Property(tries = 60)
    void logBehavesLikeItsModel(@ForAll @Size(min = 20, max = 60) List<@net.jqwik.api.From("commands") Cmd> cmds)
            throws IOException {
        Path dir = Files.createTempDirectory("clfs-model");
        try {
            run(dir, cmds);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void run(Path dir, List<Cmd> cmds) {
        Model model = new Model();
        Random random = new Random(cmds.size());
        ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, true, POLICY);
        try {
            for (Cmd cmd : cmds) {
                log = apply(log, dir, model, random, cmd);
                checkAgainstModel(log.stream(), model);
            }
        } finally {
            log.close();
        }
        long lastContainer = model.records.isEmpty() ? 1 : Lsn.container(model.records.get(model.records.size() - 1).lsn);
        Statistics.label("recycled").collect(lastContainer > POLICY.maxContainers());
        Statistics.label("log full").collect(model.sawFull);
        try (ClfsLog reopened = ClfsLog.open(dir)) {
            model.durableCount = model.records.size();
            checkAgainstModel(reopened.stream(), model);
        }
    }

    private ClfsLog apply(ClfsLog log, Path dir, Model model, Random random, Cmd cmd) {
        LogStream s = log.stream();
        if (cmd instanceof AppendMany a) {
            for (int i = 0; i < a.count(); i++) {
                byte[] data = new byte[a.size()];
                random.nextBytes(data);
                long lsn;
                try {
                    lsn = a.force() ? s.appendForced(ByteBuffer.wrap(data)) : s.append(data);
                } catch (LogFullException e) {
                    assertGenuinelyFull(log, model, e);
                    return log;
                }
                model.records.add(new Expected(lsn, RecordType.DATA, data));
                if (a.force()) {
                    model.durableCount = model.records.size();
                }
            }
        } else if (cmd instanceof Flush) {
            log.flush();
            model.durableCount = model.records.size();
        } else if (cmd instanceof Restart r) {
            byte[] data = new byte[r.size()];
            random.nextBytes(data);
            Expected newBase = r.moveBase() ? model.pick(random.nextInt(1000), true, model.base) : null;
            long lsn;
            try {
                lsn = newBase == null ? s.writeRestartArea(ByteBuffer.wrap(data))
                        : s.writeRestartArea(ByteBuffer.wrap(data), newBase.lsn);
            } catch (LogFullException e) {
                assertGenuinelyFull(log, model, e);
                return log;
            }
            model.records.add(new Expected(lsn, RecordType.RESTART, data));
            model.durableCount = model.records.size();
            model.restart = lsn;
            if (newBase != null) {
                model.base = newBase.lsn;
            }
        } else if (cmd instanceof MoveBase m) {
            moveTail(model, m.pick(), true, s);
        } else if (cmd instanceof MoveArchive m) {
            moveTail(model, m.pick(), false, s);
        } else if (cmd instanceof Read r) {
            Expected e = model.pick(r.pick(), false, Lsn.NULL);
            if (e == null) {
                return log;
            }
            if (Lsn.less(e.lsn, model.lowerTail())) {
                assertThatThrownBy(() -> s.read(e.lsn)).isInstanceOf(LsnBelowTailsException.class);
            } else if (model.records.indexOf(e) < model.durableCount) {
                assertThat(s.read(e.lsn).bytes()).isEqualTo(e.data);
            }
        } else if (cmd instanceof Reserve r) {
            Reservation reservation;
            try {
                reservation = s.reserve(r.size());
            } catch (LogFullException e) {
                return log;
            }
            try (reservation) {
                assertThat(log.info().reservedBytes()).isEqualTo(ClfsLog.spaceFor(r.size()));
                if (r.use()) {
                    byte[] data = new byte[r.size()];
                    random.nextBytes(data);
                    long lsn = s.append(reservation, ByteBuffer.wrap(data));
                    model.records.add(new Expected(lsn, RecordType.DATA, data));
                }
            }
            assertThat(log.info().reservedBytes()).isZero();
        } else if (cmd instanceof Reopen) {
            log.close();
            model.durableCount = model.records.size();
            return ClfsLog.open(dir);
        }
        return log;
    }

    private static void moveTail(Model model, int pick, boolean base, LogStream s) {
        long current = base ? model.base : model.archive;
        Expected target = model.pick(pick, true, current);
        if (target == null) {
            return;
        }
        if (base) {
            s.advanceBase(target.lsn);
            model.base = target.lsn;
        } else {
            s.setArchiveTail(target.lsn);
            model.archive = target.lsn;
        }
        assertThatThrownBy(() -> {
            if (base) {
                s.advanceBase(current == target.lsn ? Lsn.NULL : current);
            } else {
                s.setArchiveTail(current == target.lsn ? Lsn.NULL : current);
            }
        }).isInstanceOf(InvalidTailMoveException.class);
    }

    /** A log-full error is only right when the records still needed really fill every container. */
    private static void assertGenuinelyFull(ClfsLog log, Model model, LogFullException e) {
        long live = Lsn.container(model.records.isEmpty() ? Lsn.of(1, 0) : model.records.get(model.records.size() - 1).lsn)
                - Lsn.container(model.lowerTail()) + 1;
        assertThat(live).as("containers holding needed records when the log said full: %s", e.getMessage())
                .isGreaterThanOrEqualTo(POLICY.maxContainers() - 1);
        assertThat(e.getMessage()).contains("pinned by");
        assertThat(log.failed()).isFalse();
        model.sawFull = true;
    }

    private static void checkAgainstModel(LogStream s, Model model) {
        assertThat(s.baseLsn()).isEqualTo(model.base);
        assertThat(s.archiveTail()).isEqualTo(model.archive);
        assertThat(s.restartLsn()).isEqualTo(model.restart);
        List<Expected> readable = model.readable();
        List<LogRecord> read = new ArrayList<>();
        try (ReadContext ctx = s.readFromTail(RecordFilter.ALL)) {
            for (LogRecord r = ctx.next(); r != null; r = ctx.next()) {
                read.add(r);
            }
        }
        long mustHave = readable.stream().filter(r -> model.records.indexOf(r) < model.durableCount).count();
        assertThat(read.size()).isGreaterThanOrEqualTo((int) mustHave).isLessThanOrEqualTo(readable.size());
        for (int i = 0; i < read.size(); i++) {
            assertThat(read.get(i).lsn()).isEqualTo(readable.get(i).lsn);
            assertThat(read.get(i).type()).isEqualTo(readable.get(i).type);
            assertThat(Arrays.equals(read.get(i).bytes(), readable.get(i).data)).isTrue();
        }
        if (model.restart != Lsn.INVALID && !Lsn.less(model.restart, model.lowerTail())) {
            assertThat(s.readRestartArea().lsn()).isEqualTo(model.restart);
        }
        // The previous-LSN chain of data records walks the model's data records backwards.
        List<Expected> data = readable.stream().filter(r -> r.type == RecordType.DATA
                && model.records.indexOf(r) < model.durableCount).toList();
        if (!data.isEmpty()) {
            try (ReadContext back = s.read(data.get(data.size() - 1).lsn, ReadMode.PREVIOUS, RecordFilter.DATA)) {
                for (int i = data.size() - 1; i >= 0; i--) {
                    assertThat(back.next().lsn()).isEqualTo(data.get(i).lsn);
                }
            }
        }
    }
}

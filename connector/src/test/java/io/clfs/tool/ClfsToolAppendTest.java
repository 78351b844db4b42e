package io.clfs.tool;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogRecord;
import io.clfs.log.LogStream;
import io.clfs.log.Lsn;
import io.clfs.log.ReadContext;
import io.clfs.log.RecordFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** When {@code append} flushes, and that every LSN it prints is already durable. */
class ClfsToolAppendTest {
    @TempDir
    Path tmp;

    /** Standard output as it was each time the tool asked for the next chunk of input. */
    private final List<List<String>> seen = new ArrayList<>();

    private ToolRun appendInChunks(boolean eager, List<String> chunks, String... options) {
        ClfsToolTest.createSmall(tmp.toString());
        StringWriter out = new StringWriter();
        List<String> args = new ArrayList<>(List.of("append", tmp.toString()));
        args.addAll(List.of(options));
        ToolRun r = ToolRun.run(new ChunkedInput(chunks, eager, () -> seen.add(out.toString().lines().toList())), out,
                args.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void anLsnIsPrintedBeforeTheToolWaitsForMoreInputAndIsDurableByThen() {
        List<String> durableWhenPrinted = new ArrayList<>();
        StringWriter out = new StringWriter();
        ClfsToolTest.createSmall(tmp.toString());
        ChunkedInput stdin = new ChunkedInput(List.of("one\n", "two\n", "three"), false, () -> {
            List<String> printed = out.toString().lines().toList();
            seen.add(printed);
            durableWhenPrinted.addAll(durableRecords(printed));
        });
        ToolRun r = ToolRun.run(stdin, out, "append", tmp.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.outLines()).hasSize(3);
        assertThat(seen).containsExactly(r.outLines().subList(0, 1), r.outLines().subList(0, 2));
        assertThat(durableWhenPrinted).containsExactly("one", "one", "two");
    }

    @Test
    void aLineCutByAPauseInTheInputDoesNotHoldBackTheLsnsBeforeIt() {
        // The pipe delivered "one" and half of "two": the tool must not wait for the rest of "two" with "one" unprinted.
        ToolRun r = appendInChunks(false, List.of("one\ntw", "o\nthr", "ee\n"));
        assertThat(r.outLines()).hasSize(3);
        assertThat(seen).containsExactly(r.outLines().subList(0, 1), r.outLines().subList(0, 2));
    }

    @Test
    void printedLsnsAreTheRecordsCanonicalLsnsAcrossContainers() {
        String line = "r".repeat(300) + "\n";
        ToolRun r = appendInChunks(true, List.of(line.repeat(1500), line.repeat(1500)), "--flush-every", "512");
        List<String> stored = new ArrayList<>();
        try (ClfsLog reader = ClfsLog.openReadOnly(tmp);
             ReadContext records = reader.stream().readFromTail(RecordFilter.DATA)) {
            for (LogRecord rec = records.next(); rec != null; rec = records.next()) {
                stored.add(Lsn.toString(rec.lsn()));
            }
        }
        assertThat(Lsn.container(Lsn.parse(stored.get(stored.size() - 1))))
                .isGreaterThan(Lsn.container(Lsn.parse(stored.get(0))));
        assertThat(r.outLines()).isEqualTo(stored);
    }

    @Test
    void withInputWaitingItFlushesEveryNRecords() {
        ClfsToolTest.createSmall(tmp.toString());
        StringWriter out = new StringWriter();
        // The full batch a, b is flushed in the background while input is read: wait for it at the
        // chunk boundary. c was appended but waits for d, so it must not be among the printed ones.
        List<String> durableWhenPrinted = new ArrayList<>();
        ChunkedInput stdin = new ChunkedInput(List.of("a\nb\nc\n", "d\ne\n"), true, () -> {
            List<String> printed = linesOnceAtLeast(out, 2);
            seen.add(printed);
            durableWhenPrinted.addAll(durableRecords(printed));
        });
        ToolRun r = ToolRun.run(stdin, out, "append", tmp.toString(), "--flush-every", "2");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.outLines()).hasSize(5);
        assertThat(seen).containsExactly(r.outLines().subList(0, 2));
        assertThat(durableWhenPrinted).containsExactly("a", "b");
    }

    /**
     * The records at {@code lsns} as another opener reads them. It sees only what is durable, so
     * each LSN already printed must be readable there.
     */
    private List<String> durableRecords(List<String> lsns) {
        List<String> records = new ArrayList<>();
        try (ClfsLog reader = ClfsLog.openReadOnly(tmp)) {
            LogStream s = reader.stream();
            for (String lsn : lsns) {
                records.add(new String(s.read(Lsn.parse(lsn)).bytes(), StandardCharsets.UTF_8));
            }
        }
        return records;
    }

    /** The printed lines once there are at least {@code n} of them, or as they are after 10 s. */
    private static List<String> linesOnceAtLeast(StringWriter out, int n) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<String> lines = out.toString().lines().toList();
        while (lines.size() < n && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
            lines = out.toString().lines().toList();
        }
        return lines;
    }

    @Test
    void byDefaultItBatchesWhileInputIsWaiting() {
        ToolRun r = appendInChunks(true, List.of("a\nb\nc\n", "d\ne\n"));
        assertThat(r.outLines()).hasSize(5);
        assertThat(seen).containsExactly(List.of());
    }

    @Test
    void flushEveryMustBePositive() {
        ToolRun r = ToolRun.run("a\n", "append", tmp.toString(), "--flush-every", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(
                "clfs append: --flush-every must be at least 1, not 0 (see 'clfs append --help')");
    }
}

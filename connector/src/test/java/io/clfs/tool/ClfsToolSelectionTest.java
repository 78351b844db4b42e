package io.clfs.tool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.clfs.tool.ToolRun.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code clfs dump} with the source connector's timestamp and offset selectors. */
class ClfsToolSelectionTest {
    /** Out of order within each group of four, rising from group to group. */
    private static final long[] STAMPS = {1_300, 1_000, 1_200, 1_100, 2_300, 2_000, 2_200, 2_100, 3_000, 3_300, 3_100,
            3_200};

    @TempDir
    Path tmp;

    private List<Long> offsets(String... args) {
        return JsonTree.objects(List.of(ok(args).split("\n"))).stream().map(m -> (Long) m.get("offset")).toList();
    }

    @Test
    void dumpSelectsByTimeAndOffset() {
        Path dir = tmp.resolve("orders-0");
        SinkStyleLog.write(dir, "orders", 0, STAMPS, 4, 8);

        assertThat(offsets("dump", dir.toString(), "--json", "--type", "data", "--from-time", "2100",
                "--to-time", "1970-01-01T00:00:03.100Z")).containsExactly(4L, 6L, 7L, 8L);
        assertThat(offsets("dump", dir.toString(), "--json", "--type", "data", "--from-offset", "5",
                "--to-offset", "9")).containsExactly(5L, 6L, 7L, 8L);
        assertThat(offsets("dump", dir.toString(), "--json", "--type", "data", "--from-time", "2000",
                "--from-offset", "6")).containsExactly(6L, 7L, 8L, 9L, 10L, 11L);
        // Restart areas before the jump point are not read: the first one shown follows offset 7.
        List<Map<String, Object>> all = JsonTree.objects(List.of(ok("dump", dir.toString(), "--json",
                "--from-time", "3000").split("\n")));
        assertThat(all.get(0)).containsEntry("type", "restart");
        assertThat(all.stream().filter(m -> "data".equals(m.get("type"))).map(m -> m.get("offset")))
                .containsExactly(8L, 9L, 10L, 11L);
        assertThat(all.stream().filter(m -> "restart".equals(m.get("type")))).hasSize(2);
    }

    @Test
    void emptyRangesAndBadTimesAreUsageErrors() {
        Path dir = tmp.resolve("orders-0");
        SinkStyleLog.write(dir, "orders", 0, STAMPS, 4, 8);
        ToolRun r = ToolRun.run("", "dump", dir.toString(), "--from-time", "3000", "--to-time", "3000");
        assertThat(r.exit()).isEqualTo(ClfsTool.USAGE);
        assertThat(r.err()).contains("--to-time must be after --from-time");
        r = ToolRun.run("", "dump", dir.toString(), "--from-time", "2024-05-01 14:00");
        assertThat(r.exit()).isEqualTo(ClfsTool.USAGE);
        assertThat(r.err()).contains("--from-time").contains("ISO-8601");
    }

    @Test
    void restoreCheckPrintsWhatWouldBeReplayedPerPartition() {
        SinkStyleLog.write(tmp.resolve("orders-0"), "orders", 0, STAMPS, 4, 8);
        SinkStyleLog.write(tmp.resolve("orders-1"), "orders", 1, new long[] {2_500, 900}, 1, 8);
        List<String> lines = ok("restore-check", tmp.resolve("orders-0").toString(), tmp.resolve("orders-1").toString(),
                "--from-time", "2000", "--to-time", "3000").lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("orders-0 records=4 ").contains("from=1970-01-01T00:00:02Z")
                .contains("to=1970-01-01T00:00:02.300Z").contains("nullKeys=0");
        assertThat(lines.get(1)).startsWith("orders-1 records=1 ");
        assertThat(lines.get(2)).startsWith("total records=5 ");
    }
}

package io.clfs.tool;

import io.clfs.log.ClfsLog;
import io.clfs.log.Lsn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.clfs.tool.ToolRun.ok;
import static io.clfs.tool.ToolRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/** The verbs end to end on real files: exact output forms, as scripts read them. */
class ClfsToolTest {
    /** Where the first block of a new log starts: logical container 1, after the 512-byte container header. */
    static final String FIRST_BLOCK = "00000001:00000200";

    @TempDir
    Path tmp;

    String log() {
        return tmp.resolve("log").toString();
    }

    /** A log with small containers, so that tests cross containers cheaply. */
    static String createSmall(String log, String... extra) {
        List<String> args = new ArrayList<>(List.of("create", log, "--container-size", "512k", "--block-size", "4k",
                "--max-containers", "4"));
        args.addAll(List.of(extra));
        return ok(args.toArray(String[]::new));
    }

    /** Appends {@code stdin} and returns the printed LSNs. */
    static List<String> append(String log, String stdin, String... extra) {
        List<String> args = new ArrayList<>(List.of("append", log));
        args.addAll(List.of(extra));
        ToolRun r = run(stdin, args.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        return r.outLines();
    }

    /** A map that, unlike Map.of, takes the nulls that stand for "no record". */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void createMakesALogThatInfoDescribes() {
        assertThat(createSmall(log(), "--archive", "--containers", "3", "--growth-step", "2",
                "--free-space-target", "10", "--auto-shrink", "50", "--prefix", "c-", "--suffix", ".dat"))
                .isEqualTo("created " + log() + "\n");

        Map<String, Object> info = JsonTree.object(ok("info", log(), "--json"));
        assertThat(info).containsEntry("log", log()).containsEntry("kind", "dedicated")
                .containsEntry("archive", true).containsEntry("stream", "default")
                .containsEntry("baseLsn", FIRST_BLOCK).containsEntry("archiveTail", FIRST_BLOCK)
                .containsEntry("lastLsn", null).containsEntry("restartLsn", null)
                .containsEntry("durableEnd", FIRST_BLOCK).containsEntry("containerSize", 524288L)
                .containsEntry("blockSize", 4096L).containsEntry("minContainers", 3L)
                .containsEntry("maxContainers", 4L).containsEntry("growthStep", 2L)
                .containsEntry("freeSpaceTarget", 10L).containsEntry("autoShrink", 50L)
                .containsEntry("prefix", "c-").containsEntry("suffix", ".dat").containsEntry("reservedBytes", 0L)
                .containsEntry("closedCleanly", true).containsEntry("fenceEpoch", 0L).containsEntry("fence", null);
        assertThat(info.get("containers")).isEqualTo(List.of(
                container("c-000000.dat", 0, 1, "active"),
                container("c-000001.dat", 1, 2, "ready"), // assigned ahead, by the metadata write at close
                container("c-000002.dat", 2, 0, "free")));
        assertThat(info.get("streams")).isEqualTo(List.of(map("name", "default", "baseLsn", FIRST_BLOCK,
                "archiveTail", FIRST_BLOCK, "lastLsn", null, "restartLsn", null, "reservedBytes", 0L)));
        assertThat(tmp.resolve("log/c-000002.dat")).exists();

        // The same state as text lines.
        assertThat(ok("info", log())).isEqualTo(String.join("\n",
                "log " + log(), "logId " + info.get("logId"), "kind dedicated", "archive true",
                "stream default", "baseLsn " + FIRST_BLOCK, "archiveTail " + FIRST_BLOCK, "lastLsn none",
                "restartLsn none", "durableEnd " + FIRST_BLOCK, "containerSize 524288", "blockSize 4096",
                "minContainers 3", "maxContainers 4", "growthStep 2", "freeSpaceTarget 10", "autoShrink 50",
                "freeBytes " + info.get("freeBytes"), "reservedBytes 0", "ownerEpoch " + info.get("ownerEpoch"),
                "closedCleanly true",
                "streams default", "  baseLsn " + FIRST_BLOCK, "  archiveTail " + FIRST_BLOCK, "  lastLsn none",
                "  restartLsn none",
                "container c-000000.dat physicalId 0 logicalId 1 state active",
                "container c-000001.dat physicalId 1 logicalId 2 state ready",
                "container c-000002.dat physicalId 2 logicalId 0 state free") + "\n");
    }

    private static Map<String, Object> container(String file, long physical, long logical, String state) {
        return Map.of("file", file, "physicalId", physical, "logicalId", logical, "state", state,
                "fenceOffset", 0L, "stale", false); // a new log: no takeover has fenced anything
    }

    @Test
    void appendedLsnsRoundTripThroughDump() {
        createSmall(log());
        // CRLF ends a line like LF; an empty line is an empty record; the last line needs no newline.
        List<String> lsns = append(log(), "first\nzweite Zeile \"ö\"\r\n\nlast");
        assertThat(lsns).hasSize(4).allMatch(l -> l.matches("[0-9a-f]{8}:[0-9a-f]{8}"));
        assertThat(lsns.get(0)).isEqualTo("00000001:00000240"); // after the first block's 64-byte header
        assertThat(lsns).isSorted().doesNotHaveDuplicates();

        List<Map<String, Object>> records = JsonTree.objects(
                run("", "dump", log(), "--json").outLines());
        assertThat(records).extracting(r -> r.get("lsn")).containsExactlyElementsOf(lsns);
        assertThat(records).extracting(r -> decode((String) r.get("data")))
                .containsExactly("first", "zweite Zeile \"ö\"", "", "last");
        assertThat(records.get(1)).isEqualTo(map("lsn", lsns.get(1), "stream", "default", "type", "data",
                "previous", lsns.get(0), "undoNext", lsns.get(0), "length", 17L,
                "data", Base64.getEncoder().encodeToString("zweite Zeile \"ö\"".getBytes(StandardCharsets.UTF_8))));
        assertThat(records.get(0)).containsEntry("previous", null).containsEntry("undoNext", null);

        assertThat(ok("dump", log(), "--from", lsns.get(1), "--to", lsns.get(2))).isEqualTo(
                lsns.get(1) + " data stream=default previous=" + lsns.get(0) + " undoNext=" + lsns.get(0)
                        + " length=17 data=\"zweite Zeile \\\"ö\\\"\"\n"
                        + lsns.get(2) + " data stream=default previous=" + lsns.get(1) + " undoNext="
                        + lsns.get(1) + " length=0 data=\"\"\n");
        assertThat(JsonTree.object(ok("info", log(), "--json"))).containsEntry("lastLsn", lsns.get(3));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    @Test
    void tailVerbsPrintTheResultingTails() {
        createSmall(log(), "--archive");
        List<String> lsns = append(log(), "a\nb\nc\n");
        String a = lsns.get(0);
        String b = lsns.get(1);
        String c = lsns.get(2);

        List<String> restart = run("", "write-restart", log(), "--data", "checkpoint 1", "--base", b).outLines();
        assertThat(restart).hasSize(4);
        String r = restart.get(3).substring("restartLsn ".length());
        assertThat(Lsn.less(Lsn.parse(c), Lsn.parse(r))).isTrue();
        assertThat(restart).containsExactly("stream default", "baseLsn " + b, "archiveTail " + FIRST_BLOCK,
                "restartLsn " + r);
        assertThat(ok("dump", log(), "--type", "restart")).isEqualTo(
                r + " restart stream=default previous=none undoNext=none length=12 data=\"checkpoint 1\"\n");

        assertThat(ok("advance-base", log(), c)).isEqualTo(String.join("\n",
                "stream default", "baseLsn " + c, "archiveTail " + FIRST_BLOCK, "restartLsn " + r) + "\n");
        // Between the archive tail and the base: released, not yet archived, still readable.
        assertThat(ok("dump", log(), "--type", "data")).startsWith(a + " data");

        assertThat(ok("set-archive-tail", log(), b)).isEqualTo(String.join("\n",
                "stream default", "baseLsn " + c, "archiveTail " + b, "restartLsn " + r) + "\n");
        assertThat(run("", "dump", log()).outLines()).extracting(l -> l.substring(0, 17)).containsExactly(b, c, r);
    }

    @Test
    void anEphemeralLogHasNoArchiveTail() {
        createSmall(log());
        String a = append(log(), "a\n").get(0);
        assertThat(ok("advance-base", log(), a)).isEqualTo(String.join("\n",
                "stream default", "baseLsn " + a, "archiveTail none", "restartLsn none") + "\n");
        assertThat(JsonTree.object(ok("info", log(), "--json"))).containsEntry("archive", false)
                .containsEntry("archiveTail", null);
    }

    @Test
    void multiplexedStreamsAreCreatedByTheirFirstAppendAndDumpedInLsnOrder() {
        createSmall(log(), "--multiplexed");
        assertThat(JsonTree.object(ok("info", log(), "--json"))).containsEntry("kind", "multiplexed")
                .containsEntry("streams", List.of());
        assertThat(append(log(), "", "--stream", "empty")).isEmpty();
        String a1 = append(log(), "a1\n", "--stream", "a").get(0);
        String b1 = append(log(), "b1\n", "--stream", "b").get(0);
        String a2 = append(log(), "a2\n", "--stream", "a").get(0);

        Map<String, Object> info = JsonTree.object(ok("info", log(), "--json"));
        assertThat(info).containsEntry("stream", null).containsEntry("baseLsn", null);
        assertThat(((List<?>) info.get("streams")).stream().map(s -> (String) ((Map<?, ?>) s).get("name")))
                .containsExactly("a", "b"); // no record, no stream
        assertThat(JsonTree.object(ok("info", log(), "--json", "--stream", "b")))
                .containsEntry("stream", "b").containsEntry("lastLsn", b1);

        assertThat(run("", "dump", log()).outLines()).containsExactly(
                a1 + " data stream=a previous=none undoNext=none length=2 data=\"a1\"",
                b1 + " data stream=b previous=none undoNext=none length=2 data=\"b1\"",
                a2 + " data stream=a previous=" + a1 + " undoNext=" + a1 + " length=2 data=\"a2\"");
        assertThat(run("", "dump", log(), "--stream", "a").outLines()).extracting(l -> l.substring(0, 17))
                .containsExactly(a1, a2);
        assertThat(run("", "dump", log(), "--from", b1).outLines()).extracting(l -> l.substring(0, 17))
                .containsExactly(b1, a2);
    }

    @Test
    void dumpShowsBytesThatAreNotUtf8AsHex() throws Exception {
        createSmall(log());
        ToolRun r = run(new java.io.ByteArrayInputStream(new byte[]{(byte) 0xff, 0x01, '\n'}), "append", log());
        assertThat(r.exit()).isZero();
        assertThat(ok("dump", log())).isEqualTo(r.outLines().get(0)
                + " data stream=default previous=none undoNext=none length=2 hex=ff01\n");
        try (ClfsLog reader = ClfsLog.openReadOnly(Path.of(log()))) {
            assertThat(reader.stream().read(Lsn.parse(r.outLines().get(0))).bytes()).containsExactly(0xff, 0x01);
        }
    }
}

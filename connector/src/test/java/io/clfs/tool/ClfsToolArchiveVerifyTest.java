package io.clfs.tool;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogBytes;
import io.clfs.log.LogKind;
import io.clfs.log.LogPolicy;
import io.clfs.log.Lsn;
import io.clfs.log.format.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.clfs.tool.ClfsToolFailuresTest.fails;
import static io.clfs.tool.ClfsToolTest.append;
import static io.clfs.tool.ClfsToolTest.createSmall;
import static io.clfs.tool.ToolRun.ok;
import static io.clfs.tool.ToolRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code archive} copies exactly the container ranges from the archive tail; {@code verify} finds damage. */
class ClfsToolArchiveVerifyTest {
    @TempDir
    Path tmp;

    private String dir() {
        return tmp.resolve("log").toString();
    }

    /** About 700 KiB of records: more than one 512 KiB container. */
    private List<String> fillPastOneContainer() {
        createSmall(dir(), "--archive");
        return append(dir(), ("r".repeat(1000) + "\n").repeat(700));
    }

    @Test
    void archiveCopiesTheRangesFromTheArchiveTailWithAManifest() throws IOException {
        String dir = dir();
        List<String> lsns = fillPastOneContainer();
        Map<String, Object> info = JsonTree.object(ok("info", dir, "--json"));
        Path to = tmp.resolve("archive");

        List<String> out = run("", "archive", dir, "--to", to.toString()).outLines();
        assertThat(out).hasSize(3);
        Map<String, Object> manifest = JsonTree.object(Files.readString(to.resolve("manifest.json")));
        assertThat(manifest).containsEntry("logId", info.get("logId")).containsEntry("containerSize", 524288L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ranges = (List<Map<String, Object>>) manifest.get("ranges");
        assertThat(ranges).extracting(r -> r.get("logicalId")).containsExactly(1L, 2L);
        assertThat(ranges.get(0)).containsEntry("offset", 512L).containsEntry("startLsn", "00000001:00000200");
        assertThat(ranges.get(1)).containsEntry("offset", 512L).containsEntry("startLsn", "00000002:00000200")
                .containsEntry("endLsn", info.get("durableEnd"));
        assertThat(Lsn.container(Lsn.parse(lsns.get(lsns.size() - 1)))).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            Map<String, Object> r = ranges.get(i);
            Path copy = to.resolve((String) r.get("file"));
            assertThat(out.get(i)).isEqualTo("copied " + copy + " logicalId " + r.get("logicalId") + " offset "
                    + r.get("offset") + " length " + r.get("length") + " startLsn " + r.get("startLsn")
                    + " endLsn " + r.get("endLsn"));
            assertThat(r.get("file")).isEqualTo(String.format("%08x-%08x.clfsarc", r.get("logicalId"), 512));
            assertThat(Files.readAllBytes(copy)).isEqualTo(containerBytes(dir, info, (Long) r.get("logicalId"),
                    (Long) r.get("offset"), (Long) r.get("length")));
        }
        assertThat(out.get(2)).isEqualTo("manifest " + to.resolve("manifest.json"));

        // Once the archive tail moves into container 2, container 1 is no longer part of an archive.
        String inSecond = lsns.stream().filter(l -> l.startsWith("00000002:")).skip(10).findFirst().orElseThrow();
        ok("set-archive-tail", dir, inSecond);
        List<String> next = run("", "archive", dir, "--to", tmp.resolve("next").toString()).outLines();
        assertThat(next).hasSize(2);
        Map<String, Object> range = JsonTree.object(Files.readString(tmp.resolve("next/manifest.json")));
        @SuppressWarnings("unchecked")
        Map<String, Object> only = ((List<Map<String, Object>>) range.get("ranges")).get(0);
        assertThat(only).containsEntry("logicalId", 2L);
        assertThat(Lsn.less(Lsn.parse(inSecond), Lsn.parse((String) only.get("startLsn")))).isFalse();
        assertThat(only.get("endLsn")).isEqualTo(info.get("durableEnd"));
    }

    private static byte[] containerBytes(String dir, Map<String, Object> info, long logical, long offset, long length)
            throws IOException {
        @SuppressWarnings("unchecked")
        String file = ((List<Map<String, Object>>) info.get("containers")).stream()
                .filter(c -> c.get("logicalId").equals(logical)).map(c -> (String) c.get("file")).findFirst()
                .orElseThrow();
        byte[] all = Files.readAllBytes(Path.of(dir, file));
        return Arrays.copyOfRange(all, (int) offset, (int) (offset + length));
    }

    @Test
    void archiveRefusesATargetThatHoldsFiles() throws IOException {
        fillPastOneContainer();
        Path to = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(to.resolve("other"), "x");
        assertThat(fails(1, "", "archive", dir(), "--to", to.toString()))
                .isEqualTo("clfs archive: archive target " + to + " is not empty");
    }

    @Test
    void verifyPassesACleanLogAndLocatesAFlippedBit() throws IOException {
        String dir = dir();
        List<String> lsns = fillPastOneContainer();
        assertThat(ok("verify", dir)).matches("clean " + dir + " blocks \\d+ records 700\n");

        Path container = tmp.resolve("log/container-000000.clfs");
        long offset = Lsn.offset(Lsn.parse(lsns.get(100))) + 100;
        try (RandomAccessFile f = new RandomAccessFile(container.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x10);
        }
        ToolRun r = run("", "verify", dir);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.outLines()).isNotEmpty().allMatch(l -> l.matches(".+:\\d+: .+"));
        assertThat(r.outLines().get(0)).startsWith(container + ":").contains("checksum");
        assertThat(r.errLines()).containsExactly("clfs verify: log " + dir + " has " + r.outLines().size()
                + (r.outLines().size() == 1 ? " fault" : " faults"));

        // A damaged block below the durable end is an error naming where it is, not a quiet end of the dump.
        ToolRun dump = run("", "dump", dir);
        assertThat(dump.exit()).isEqualTo(1);
        String lastGood = dump.outLines().get(dump.outLines().size() - 1).substring(0, 17);
        assertThat(Lsn.less(Lsn.parse(lastGood), Lsn.parse(lsns.get(100)))).isTrue();
        assertThat(dump.errLines()).singleElement().asString().startsWith("clfs dump: corrupt log file " + container
                + " at offset ").contains("block checksum mismatch");
    }

    /** A CRC-valid restart area whose previous link points at itself: a fault at its record, exit 1. */
    @Test
    void verifyFindsARestartChainThatDoesNotDescend() {
        Path dir = tmp.resolve("log");
        long restart;
        try (ClfsLog log = ClfsLog.create(dir, LogKind.DEDICATED, false, LogPolicy.defaults().withContainerSize(512 << 10)
                .withBlockSize(4096).withContainers(2, 4))) {
            log.stream().append(new byte[10]);
            restart = log.stream().writeRestartArea(ByteBuffer.wrap(new byte[]{1}));
        }
        LogBytes bytes = new LogBytes(dir);
        bytes.craftRecord(restart, r -> r.putLong(RecordHeader.PREVIOUS_OFFSET, restart));
        ToolRun r = run("", "verify", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.outLines()).singleElement().asString()
                .startsWith(bytes.container(restart) + ":" + Lsn.offset(restart) + ": ").contains("previous link");
    }

    @Test
    void verifyOfNoLog() {
        String dir = tmp.resolve("none").toString();
        ToolRun r = run("", "verify", dir);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.outLines()).containsExactly(Path.of(dir, "clfs.meta")
                + ":0: expected a metadata file: this is not a log");
        assertThat(r.errLines()).containsExactly("clfs verify: log " + dir + " has 1 fault");
    }
}

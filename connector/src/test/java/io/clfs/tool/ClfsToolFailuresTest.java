package io.clfs.tool;

import io.clfs.log.ClfsLog;
import io.clfs.log.Lsn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static io.clfs.tool.ClfsToolTest.append;
import static io.clfs.tool.ClfsToolTest.createSmall;
import static io.clfs.tool.ToolRun.ok;
import static io.clfs.tool.ToolRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/** Every failure: its exit code, and one line on standard error that says what went wrong. */
class ClfsToolFailuresTest {
    @TempDir
    Path tmp;

    String log() {
        return tmp.resolve("log").toString();
    }

    /** Runs a verb that must fail with {@code exit} and exactly one error line, and returns that line. */
    static String fails(int exit, String stdin, String... args) {
        ToolRun r = run(stdin, args);
        String shown = r.toString().length() > 2000 ? r.toString().substring(0, 2000) + "..." : r.toString();
        assertThat(r.exit()).as(shown).isEqualTo(exit);
        assertThat(r.errLines()).as(shown).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("clfs " + args[0] + ": ");
        return r.errLines().get(0);
    }

    @Test
    void noLogThere() {
        assertThat(fails(1, "", "info", log()))
                .isEqualTo("clfs info: no log in " + log() + ": clfs.meta is missing");
        assertThat(fails(1, "x\n", "append", log())).contains("no log in " + log());
    }

    @Test
    void badLsnTextIsAUsageError() {
        createSmall(log());
        assertThat(fails(2, "", "advance-base", log(), "1:200")).isEqualTo("clfs advance-base: Invalid value for"
                + " positional parameter at index 1 (LSN): not an LSN: '1:200' (expected cccccccc:oooooooo, 8 hex"
                + " digits each) (see 'clfs advance-base --help')");
        // A sign would get past Long.parseLong.
        assertThat(fails(2, "", "dump", log(), "--from", "-0000001:00000200")).contains("not an LSN");
    }

    @Test
    void lsnBelowTheTails() {
        createSmall(log(), "--archive");
        List<String> lsns = append(log(), "a\nb\n");
        ok("advance-base", log(), lsns.get(1));
        ok("set-archive-tail", log(), lsns.get(1));
        assertThat(fails(1, "", "dump", log(), "--from", lsns.get(0))).isEqualTo("clfs dump: LSN " + lsns.get(0)
                + " of stream 'default' in log " + log() + " is below its tails (base LSN " + lsns.get(1)
                + ", archive tail " + lsns.get(1) + "): the record is gone");
        assertThat(fails(1, "", "advance-base", log(), lsns.get(0))).contains("only moves forward");
        assertThat(fails(1, "", "write-restart", log(), "--base", lsns.get(0))).isEqualTo("clfs write-restart:"
                + " base LSN of stream 'default' only moves forward: it is " + lsns.get(1) + ", asked for "
                + lsns.get(0));
    }

    @Test
    void notARecord() {
        createSmall(log());
        String a = append(log(), "a\nb\n").get(0);
        String inside = a.substring(0, 9) + String.format("%08x", Long.parseLong(a.substring(9), 16) + 8);
        assertThat(fails(1, "", "advance-base", log(), inside)).contains("cannot move the base LSN")
                .contains("is not a record");
        assertThat(fails(1, "", "dump", log(), "--from", inside)).contains("neither a record nor a block start");
        // A refused base leaves no restart record behind.
        assertThat(fails(1, "", "write-restart", log(), "--base", inside)).contains("is not a record");
        assertThat(ok("dump", log(), "--type", "restart")).isEmpty();
    }

    @Test
    void logFullAcknowledgesWhatWasWrittenAndNamesWhatPinsTheSpace() {
        ok("create", log(), "--container-size", "512k", "--block-size", "4k", "--containers", "2",
                "--max-containers", "2");
        String line = "x".repeat(1000) + "\n";
        ToolRun r = run(line.repeat(1200), "append", log(), "--flush-every", "100");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("clfs append: log full: " + log())
                .contains("pinned by the base LSN of stream 'default'");
        // Every record before the failure was made durable and acknowledged, and no other.
        assertThat(r.outLines()).hasSizeBetween(1, 1199);
        assertThat(run("", "dump", log()).outLines()).extracting(l -> l.substring(0, 17))
                .containsExactlyElementsOf(r.outLines());
    }

    @Test
    void lockedByAnotherWriter() {
        createSmall(log());
        try (ClfsLog writer = ClfsLog.open(Path.of(log()))) {
            assertThat(fails(1, "x\n", "append", log())).isEqualTo("clfs append: log " + log()
                    + " is held by another writer (lock file clfs.lock); open it read-only or stop that writer");
            ToolRun verbose = run("x\n", "advance-base", log(), "00000001:00000200", "--verbose");
            assertThat(verbose.exit()).isEqualTo(1);
            assertThat(verbose.errLines().get(0)).startsWith("clfs advance-base: log " + log() + " is held");
            assertThat(verbose.errLines()).hasSizeGreaterThan(2)
                    .anyMatch(l -> l.contains("io.clfs.log.LogLockedException"));
            // Readers are not writers: they see what the held writer makes durable.
            String lsn = Lsn.toString(writer.stream().appendForced(
                    ByteBuffer.wrap(new byte[]{'w'})));
            assertThat(ok("info", log())).contains("lastLsn " + lsn);
        }
    }

    @Test
    void requestsTheLogRefuses() {
        createSmall(log());
        assertThat(fails(1, "", "create", log())).isEqualTo("clfs create: a log already exists in " + log());
        assertThat(fails(1, "x\n", "append", log(), "--stream", "other")).contains("is dedicated")
                .contains("'default'");
        assertThat(fails(1, "", "set-archive-tail", log(), "00000001:00000200")).contains("is ephemeral");
        assertThat(fails(1, "", "archive", log(), "--to", tmp.resolve("a").toString())).contains("is ephemeral");

        String multi = tmp.resolve("multi").toString();
        createSmall(multi, "--multiplexed");
        assertThat(fails(1, "x\n", "append", multi)).isEqualTo("clfs append: log " + multi
                + " is multiplexed: name a stream with --stream");
        assertThat(fails(1, "", "dump", multi, "--stream", "nope")).isEqualTo("clfs dump: log " + multi
                + " has no stream 'nope'");
        assertThat(fails(1, "", "advance-base", multi, "00000001:00000200", "--stream", "nope"))
                .endsWith("has no stream 'nope'");
    }

    @Test
    void usageErrors() {
        assertThat(fails(2, "", "create", log(), "--container-size", "1000")).startsWith(
                "clfs create: invalid containerSize 1000: expected a multiple of 512");
        assertThat(fails(2, "", "create", log(), "--container-size", "lots")).contains("not a byte count");
        assertThat(tmp.resolve("log")).doesNotExist();
        assertThat(fails(2, "", "dump", log(), "--type", "undo")).contains("not a record type: 'undo'");
        assertThat(fails(2, "", "append")).isEqualTo(
                "clfs append: Missing required parameter: 'LOG' (see 'clfs append --help')");
        ToolRun unknown = run("", "frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.errLines()).containsExactly(
                "clfs: Unmatched argument at index 0: 'frobnicate' (see 'clfs --help')");
    }
}

package io.clfs.tool;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code main} builds only the verb its arguments name: each verb must then behave exactly as in
 * the command line with every verb.
 */
class ClfsToolCommandLineTest {
    private static final List<String> VERBS = List.of("create", "append", "write-restart", "advance-base",
            "set-archive-tail", "info", "dump", "verify", "archive", "restore-check", "offsets");

    @Test
    void everyVerbIsListedAndHasTheSameHelpAloneAsAmongAllVerbs() {
        String all = runAll("--help").out();
        for (String verb : VERBS) {
            assertThat(all).contains("  " + verb + " ");
            ToolRun alone = ToolRun.run("", verb, "--help");
            assertThat(alone.exit()).isEqualTo(ClfsTool.OK);
            assertThat(alone.out()).startsWith("Usage: clfs " + verb).isEqualTo(runAll(verb, "--help").out());
        }
    }

    @Test
    void aVerbAloneKeepsTheInheritedOptionsAndTheOneLineUsageError() {
        assertThat(ToolRun.run("", "info", "--version").out()).isEqualTo(runAll("info", "--version").out())
                .contains("clfs 0.1.0");
        ToolRun alone = ToolRun.run("", "append", "--flush-every", "0", "/nowhere");
        assertThat(alone.exit()).isEqualTo(ClfsTool.USAGE);
        assertThat(alone).isEqualTo(runAll("append", "--flush-every", "0", "/nowhere"));
    }

    @Test
    void helpAndAnUnknownVerbStillSeeEveryVerb() {
        assertThat(ToolRun.run("", "help", "dump").out()).startsWith("Usage: clfs dump");
        ToolRun unknown = ToolRun.run("", "apend");
        assertThat(unknown.exit()).isEqualTo(ClfsTool.USAGE);
        assertThat(unknown).isEqualTo(runAll("apend"));
    }

    private static ToolRun runAll(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = ClfsTool.commandLine(InputStream.nullInputStream(), new PrintWriter(out), new PrintWriter(err))
                .execute(args);
        return new ToolRun(exit, out.toString(), err.toString());
    }
}

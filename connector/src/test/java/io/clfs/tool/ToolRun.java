package io.clfs.tool;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** One in-process run of the tool, built as {@code main} builds it, with captured output. */
record ToolRun(int exit, String out, String err) {

    static ToolRun run(String stdin, String... args) {
        return run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
    }

    static ToolRun run(InputStream stdin, String... args) {
        return run(stdin, new StringWriter(), args);
    }

    /** With {@code out} given, a test can look at standard output while the verb is still running. */
    static ToolRun run(InputStream stdin, StringWriter out, String... args) {
        StringWriter err = new StringWriter();
        int exit = ClfsTool.commandLineFor(args, stdin, new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new ToolRun(exit, out.toString(), err.toString());
    }

    /** Runs a verb that must succeed, and returns its standard output. */
    static String ok(String... args) {
        ToolRun r = run("", args);
        if (r.exit != 0 || !r.err.isEmpty()) {
            throw new AssertionError("clfs " + String.join(" ", args) + " failed: " + r);
        }
        return r.out;
    }

    List<String> outLines() {
        return out.lines().toList();
    }

    List<String> errLines() {
        return err.lines().toList();
    }
}

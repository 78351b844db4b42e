package io.clfs.tool;

import io.clfs.log.ClfsException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * Base of every verb: its output streams, and the rule that a failure is one line on standard
 * error and exit code {@link ClfsTool#FAILED}. The rule lives here rather than in a picocli handler
 * so that it holds for any {@code CommandLine} built around {@link ClfsTool}.
 */
abstract class Verb implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** {@link ClfsTool}, or the verb a sub-verb belongs to ({@code offsets}). */
    @ParentCommand
    Object parent;

    @Option(names = "--verbose", description = "On failure, also print the stack trace.")
    boolean verbose;

    /** Does the verb's work and returns its exit code. */
    abstract int run() throws Exception;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (CommandLine.ParameterException e) {
            throw e; // a usage error: picocli reports it with exit code 2
        } catch (Exception e) {
            PrintWriter err = err();
            err.println(spec.qualifiedName() + ": " + oneLine(message(e)));
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return ClfsTool.FAILED;
        } finally {
            out().flush();
        }
    }

    private static String message(Exception e) {
        String m = e.getMessage();
        // The engine's own exceptions explain themselves; anything else is named so it can be reported.
        return m == null || m.isBlank() ? e.getClass().getName()
                : e instanceof ClfsException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException ? m : e.getClass().getSimpleName() + ": " + m;
    }

    static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\R", " ").strip();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    InputStream in() {
        return parent instanceof ClfsTool tool ? tool.in() : System.in;
    }
}

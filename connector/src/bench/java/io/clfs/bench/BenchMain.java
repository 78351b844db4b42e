package io.clfs.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Runs JMH with its usual command-line arguments, then prints the results again as tables with
 * the ratios the goals are stated in (engine against raw baseline, threads against one thread,
 * restart area against none), and writes them to {@code target/bench-summary.md}.
 */
public final class BenchMain {
    private static final List<String> INFO_FLAGS = List.of("-h", "-l", "-lp", "-lprof", "-lrf");

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).stream().anyMatch(INFO_FLAGS::contains)) {
            org.openjdk.jmh.Main.main(args); // listings and help need no summary
            return;
        }
        Collection<RunResult> results = new Runner(new CommandLineOptions(args)).run();
        String summary = new ResultTable(results).markdown();
        System.out.println();
        System.out.println(summary);
        Path out = Path.of("target", "bench-summary.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, summary);
        System.out.println("(also written to " + out.toAbsolutePath() + ")");
    }
}

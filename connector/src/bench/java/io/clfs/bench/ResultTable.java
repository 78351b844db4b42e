package io.clfs.bench;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/** The JMH results as Markdown tables with ratios and goal verdicts; parts that did not run are left out. */
final class ResultTable {
    private static final double APPEND_GOAL = 0.9;
    private static final int APPEND_GOAL_BATCH = 512;
    private static final double RECOVERY_GOAL = 20.0;

    private final Collection<RunResult> results;

    ResultTable(Collection<RunResult> results) {
        this.results = results;
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        durableAppend(sb);
        groupCommit(sb);
        pairedGroupCommit(sb);
        recovery(sb);
        return sb.length() == 0 ? "(no results)\n" : sb.toString();
    }

    private void durableAppend(StringBuilder sb) {
        List<RunResult> runs = select(r -> method(r).equals("DurableAppendBench.round"));
        if (runs.isEmpty()) {
            return;
        }
        sb.append("### Durable append (records/s, higher is better; targets interleaved batch by batch)\n\n")
                .append("| record | batch | engine | raw preallocated | raw fresh | engine / preallocated"
                        + " (per-iteration range) | engine / fresh | goal (>= 0.9x preallocated at 512) |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (RunResult run : runs) {
            AppendRates a = AppendRates.of(run);
            double ratio = a.engine() / a.rawPreallocated();
            String verdict = a.batch() != APPEND_GOAL_BATCH ? "" : ratio >= APPEND_GOAL ? "met" : "**missed**";
            sb.append(String.format(Locale.ROOT, "| %d B | %d | %,.0f | %,.0f | %,.0f | %.2fx (%.2f-%.2f) | %.2fx | %s |%n",
                    a.recordSize(), a.batch(), a.engine(), a.rawPreallocated(), a.rawFresh(), ratio, a.minRatio(),
                    a.maxRatio(), a.engine() / a.rawFresh(), verdict));
        }
        sb.append('\n');
    }

    private void groupCommit(StringBuilder sb) {
        List<RunResult> runs = select(r -> method(r).startsWith("GroupCommitBench.threads"));
        if (runs.isEmpty()) {
            return;
        }
        Optional<Result> one = select(r -> method(r).equals("GroupCommitBench.threads1")).stream().findFirst()
                .map(RunResult::getPrimaryResult);
        sb.append("### Group commit (appendForced of 100 B, total ops/s over all threads)\n\n")
                .append("| threads | engine ops/s | vs 1 thread | records per fsync |\n|---:|---:|---:|---:|\n");
        double previous = 0;
        boolean grows = true;
        for (RunResult r : runs) {
            double score = r.getPrimaryResult().getScore();
            grows &= score > previous;
            previous = score;
            sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %.2f |%n", r.getParams().getThreads(),
                    withError(r.getPrimaryResult()), ratio(score, one), recordsPerFsync(r)));
        }
        sb.append("\nGoal (throughput grows with threads): ").append(grows ? "met" : "**missed**").append("\n\n");
    }

    private void pairedGroupCommit(StringBuilder sb) {
        List<RunResult> runs = select(r -> method(r).equals("PairedGroupCommitBench.round"));
        if (runs.isEmpty()) {
            return;
        }
        double[] nanos = new double[3];
        double[] records = new double[3];
        String[] suffix = {"1", "2", "4"};
        for (var fork : runs.get(0).getBenchmarkResults()) {
            for (var it : fork.getIterationResults()) {
                for (int i = 0; i < 3; i++) {
                    Result n = it.getSecondaryResults().get("nanos" + suffix[i]);
                    Result r = it.getSecondaryResults().get("records" + suffix[i]);
                    nanos[i] += n == null ? 0 : n.getScore();
                    records[i] += r == null ? 0 : r.getScore();
                }
            }
        }
        sb.append("### Group commit, paired (explicit thread groups, phases interleaved; records/s)\n\n")
                .append("| threads | engine records/s | vs 1 thread |\n|---:|---:|---:|\n");
        double one = records[0] / nanos[0];
        boolean grows = true;
        double previous = 0;
        for (int i = 0; i < 3; i++) {
            double rate = records[i] / nanos[i];
            grows &= rate > previous;
            previous = rate;
            sb.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2fx |%n", suffix[i], rate * 1e9, rate / one));
        }
        sb.append("\nGoal (throughput grows with threads), paired: ").append(grows ? "met" : "**missed**")
                .append("\n\n");
    }

    /** Sums of the per-thread counters over all iterations: records over blocks forced. */
    private static double recordsPerFsync(RunResult r) {
        double records = 0;
        double blocks = 0;
        for (var fork : r.getBenchmarkResults()) {
            for (var it : fork.getIterationResults()) {
                Result rec = it.getSecondaryResults().get("records");
                Result blk = it.getSecondaryResults().get("blocks");
                records += rec == null ? 0 : rec.getScore();
                blocks += blk == null ? 0 : blk.getScore();
            }
        }
        return blocks == 0 ? Double.NaN : records / blocks;
    }

    private void recovery(StringBuilder sb) {
        Optional<Result> restart = recoveryResult("restartNearEnd");
        Optional<Result> none = recoveryResult("noRestartArea");
        if (restart.isEmpty() && none.isEmpty()) {
            return;
        }
        sb.append("### Recovery of a 1 GiB crash image (ms per open, lower is better)\n\n")
                .append("| restart area near the end | no restart area | speed-up | goal (>= 20x) |\n")
                .append("|---:|---:|---:|---|\n");
        String verdict = "";
        String speedup = "-";
        if (restart.isPresent() && none.isPresent()) {
            double x = none.get().getScore() / restart.get().getScore();
            speedup = String.format(Locale.ROOT, "%.1fx", x);
            verdict = x >= RECOVERY_GOAL ? "met" : "**missed**";
        }
        sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n%n", restart.map(ResultTable::withError)
                .orElse("-"), none.map(ResultTable::withError).orElse("-"), speedup, verdict));
    }

    private Optional<Result> recoveryResult(String fixture) {
        return select(r -> method(r).equals("RecoveryBench.open")
                && r.getParams().getParam("fixture").equals(fixture)).stream().findFirst()
                .map(RunResult::getPrimaryResult);
    }

    private List<RunResult> select(Predicate<RunResult> which) {
        return results.stream().filter(which).toList();
    }

    /** "Class.method" of a run, without the package. */
    private static String method(RunResult r) {
        String full = r.getParams().getBenchmark();
        int cls = full.lastIndexOf('.', full.lastIndexOf('.') - 1);
        return full.substring(cls + 1);
    }

    private static String withError(Result r) {
        double score = r.getScore();
        String pattern = score >= 100 ? "%,.0f ± %,.0f" : "%.2f ± %.2f";
        double error = Double.isNaN(r.getScoreError()) ? 0 : r.getScoreError();
        return String.format(Locale.ROOT, pattern, score, error);
    }

    private static String ratio(double score, Optional<Result> base) {
        return base.map(b -> String.format(Locale.ROOT, "%.2fx", score / b.getScore())).orElse("-");
    }
}

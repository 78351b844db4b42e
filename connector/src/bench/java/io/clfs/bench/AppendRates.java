package io.clfs.bench;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.util.Map;

/**
 * Records per second of each durable-append target in one paired run ({@link DurableAppendBench}),
 * from the time each target spent over all measurement iterations, and the lowest and highest
 * engine / raw-preallocated ratio of a single iteration, which shows how stable the ratio was.
 */
record AppendRates(int recordSize, int batch, double engine, double rawPreallocated, double rawFresh,
                   double minRatio, double maxRatio) {

    static AppendRates of(RunResult run) {
        int batch = Integer.parseInt(run.getParams().getParam("batch"));
        double engineNs = 0;
        double preNs = 0;
        double freshNs = 0;
        double batches = 0;
        double min = Double.MAX_VALUE;
        double max = 0;
        for (BenchmarkResult fork : run.getBenchmarkResults()) {
            for (IterationResult it : fork.getIterationResults()) {
                Map<String, Result> r = it.getSecondaryResults();
                double e = score(r, "engineNanos");
                double p = score(r, "rawPreallocatedNanos");
                engineNs += e;
                preNs += p;
                freshNs += score(r, "rawFreshNanos");
                batches += score(r, "batches");
                if (e > 0) {
                    min = Math.min(min, p / e);
                    max = Math.max(max, p / e);
                }
            }
        }
        double records = batches * batch;
        return new AppendRates(Integer.parseInt(run.getParams().getParam("recordSize")), batch,
                perSecond(records, engineNs), perSecond(records, preNs), perSecond(records, freshNs),
                min == Double.MAX_VALUE ? Double.NaN : min, max);
    }

    private static double score(Map<String, Result> results, String name) {
        Result r = results.get(name);
        return r == null ? 0 : r.getScore();
    }

    private static double perSecond(double records, double nanos) {
        return nanos == 0 ? Double.NaN : records / (nanos / 1e9);
    }
}

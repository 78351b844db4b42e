package io.clfs.bench.e2e;

/** One pipeline's figure: records moved, seconds from the connector's creation until done. */
record Result(Pipeline pipeline, long records, double seconds, String note) {
    double recordsPerSecond() {
        return records / seconds;
    }
}

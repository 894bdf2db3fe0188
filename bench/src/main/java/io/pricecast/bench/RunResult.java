package io.pricecast.bench;

import java.util.Map;

/**
 * Everything one run of one scale point measured.
 *
 * @param point      the size of work
 * @param run        1-based run number
 * @param backfill   the backfill through the pipeline
 * @param close      the daily close after it
 * @param cpuSeconds CPU seconds each component used during backfill and daily close
 * @param heapMb     peak used heap per service
 * @param rssMb      peak RSS per component
 * @param baselines  the raw baselines of this run, null when not measured for this point
 * @param turnaround the test URL's turnaround of one file, null when not measured for this point
 */
record RunResult(
        ScalePoint point,
        int run,
        Pipeline.Backfill backfill,
        Pipeline.DailyClose close,
        Map<String, Double> cpuSeconds,
        Map<String, Double> heapMb,
        Map<String, Double> rssMb,
        Raw baselines,
        Pipeline.Turnaround turnaround) {

    /** @return the turnaround from POST to every forecast written, NaN when not measured */
    double turnaroundSeconds() {
        return turnaround == null ? Double.NaN : turnaround.seconds();
    }

    /** @return CPU seconds of all the stack's processes during the turnaround, NaN when not measured */
    double turnaroundCpuSeconds() {
        return turnaround == null ? Double.NaN : turnaround.cpuSeconds();
    }

    /** Cores the work can spread over: CPU seconds over this is the least wall time any schedule of them takes. */
    static final int CORES = Runtime.getRuntime().availableProcessors();

    /** @return forecasts made in this run (backfill + daily close) */
    long predictions() {
        return backfill.records() + close.records();
    }

    /**
     * The raw baselines of one run.
     *
     * @param producer records/s of the raw producer
     * @param pipe     records/s of the raw consume+produce pipe
     * @param inserts  forecasts/s (with their price rows) of raw async inserts
     * @param forward  windows/s of the plain-Java forward pass, one thread
     * @param floor    what the node itself takes: minimal rows inserted and records produced raw
     */
    record Raw(double producer, double pipe, double inserts, double forward, Baselines.Floor floor) {}

    /** @return Cassandra's CPU seconds per 1,000 forecasts of this run, NaN when not sampled */
    double cassandraCpuPer1000() {
        Double cassandra = cpuSeconds.get("cassandra");
        return cassandra == null ? Double.NaN : cassandra * 1000 / predictions();
    }
}

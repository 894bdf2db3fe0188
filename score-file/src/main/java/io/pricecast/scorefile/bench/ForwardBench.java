package io.pricecast.scorefile.bench;

import io.pricecast.model.bundle.KerasImport;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.features.FeatureSpec;
import io.pricecast.model.features.Features;
import io.pricecast.model.network.DjlBiGru;
import io.pricecast.model.network.DjlSettings;
import io.pricecast.model.network.ForwardPass;
import io.pricecast.model.network.PlainJavaBiGru;
import io.pricecast.model.scaler.ScalerSet;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench-forward}: throughput of the DJL and plain-Java forward passes at several batch sizes, the median
 * batch-1 latency, and the heap taken by a scaler set of many symbols. A benchmark, not a test: results are
 * recorded in docs/benchmarks.md.
 */
@Command(
        name = "bench-forward",
        mixinStandardHelpOptions = true,
        description =
                "Measures windows/s of the DJL and plain-Java BiGRU forward passes, batch-1 latency and scaler-set heap.")
public final class ForwardBench implements Callable<Integer> {

    private static final long SEED = 7;
    private static final double NANOS_PER_SECOND = 1e9;
    private static final double NANOS_PER_MILLI = 1e6;
    private static final double BYTES_PER_MB = 1024.0 * 1024.0;
    private static final double MEDIAN = 0.5;
    private static final double P99 = 0.99;

    @Option(
            names = "--batches",
            split = ",",
            defaultValue = "1,64,1024,10000",
            description = "batch sizes (default: ${DEFAULT-VALUE})")
    int[] batches;

    @Option(
            names = "--seconds",
            defaultValue = "2",
            description = "seconds per measured run (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(
            names = "--runs",
            defaultValue = "3",
            description = "measured runs per point; the median is reported (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(
            names = "--threads",
            description = "PyTorch intra-op threads (default: " + DjlSettings.THREADS_ENV + " or 1)")
    Integer threads;

    @Option(
            names = "--latency-calls",
            defaultValue = "3000",
            description = "batch-1 calls timed for the latency median (default: ${DEFAULT-VALUE})")
    int latencyCalls;

    @Option(
            names = "--scaler-symbols",
            defaultValue = "10000",
            description = "symbols in the scaler-set heap measurement (default: ${DEFAULT-VALUE})")
    int scalerSymbols;

    @Override
    public Integer call() throws Exception {
        ModelBundle bundle = KerasImport.firstBundle();
        DjlSettings settings = threads == null ? DjlSettings.fromEnvironment() : new DjlSettings(threads, 1);
        System.out.printf(
                "model %s, %d cores available, DJL intra-op threads %d, %d runs x %.1f s per point (median)%n",
                bundle.metadata().versionId(),
                Runtime.getRuntime().availableProcessors(),
                settings.threads(),
                runs,
                seconds);
        try (DjlBiGru djl = new DjlBiGru(bundle.weights(), settings)) {
            PlainJavaBiGru plain = new PlainJavaBiGru(bundle.weights());
            System.out.printf("%-10s %14s %14s%n", "batch", "djl win/s", "java win/s");
            for (int batch : batches) {
                float[] windows = randomWindows(batch);
                double djlRate = throughput(djl, windows, batch);
                double plainRate = throughput(plain, windows, batch);
                System.out.printf("%-10d %,14.0f %,14.0f%n", batch, djlRate, plainRate);
            }
            double[] djlLatency = latencyMillis(djl);
            double[] plainLatency = latencyMillis(plain);
            System.out.printf(
                    "batch-1 latency over %d calls: djl median %.3f ms, p99 %.3f ms; java median %.3f ms, p99 %.3f ms%n",
                    latencyCalls,
                    percentile(djlLatency, MEDIAN),
                    percentile(djlLatency, P99),
                    percentile(plainLatency, MEDIAN),
                    percentile(plainLatency, P99));
        }
        System.out.printf(
                "scaler set of %,d symbols: %.2f MB heap%n", scalerSymbols, scalerSetHeapMegabytes(scalerSymbols));
        return 0;
    }

    private double throughput(ForwardPass network, float[] windows, int batch) {
        return windowsPerSecond(network, windows, batch, seconds, runs);
    }

    /**
     * Windows per second of one forward pass on one thread: a warm-up of half a run, then the median of
     * {@code runs} runs of about {@code seconds} each (also the plain-Java baseline of {@code ./pricecast bench}).
     *
     * @param network the forward pass
     * @param windows {@code batch} windows, e.g. from {@link #randomWindows(int)}
     * @param batch   windows per call
     * @param seconds seconds per run
     * @param runs    runs
     * @return the median rate
     */
    public static double windowsPerSecond(ForwardPass network, float[] windows, int batch, double seconds, int runs) {
        long budget = (long) (seconds * NANOS_PER_SECOND);
        timedRun(network, windows, batch, budget / 2); // warm-up
        double[] rates = new double[runs];
        for (int r = 0; r < runs; r++) {
            rates[r] = timedRun(network, windows, batch, budget);
        }
        return median(rates);
    }

    /** Calls the network repeatedly for about {@code budgetNanos}; returns windows per second. */
    private static double timedRun(ForwardPass network, float[] windows, int batch, long budgetNanos) {
        long start = System.nanoTime();
        long done = 0;
        long elapsed;
        float sink = 0;
        do {
            sink += network.predict(windows, batch)[0];
            done += batch;
            elapsed = System.nanoTime() - start;
        } while (elapsed < budgetNanos);
        if (Float.isNaN(sink)) {
            throw new IllegalStateException("the forward pass produced NaN");
        }
        return done * NANOS_PER_SECOND / elapsed;
    }

    /** Sorted latencies in milliseconds of {@code latencyCalls} batch-1 calls, after as many warm-up calls. */
    private double[] latencyMillis(ForwardPass network) {
        float[] window = randomWindows(1);
        for (int i = 0; i < latencyCalls; i++) {
            network.predict(window, 1);
        }
        double[] latencies = new double[latencyCalls];
        for (int i = 0; i < latencyCalls; i++) {
            long start = System.nanoTime();
            network.predict(window, 1);
            latencies[i] = (System.nanoTime() - start) / NANOS_PER_MILLI;
        }
        Arrays.sort(latencies);
        return latencies;
    }

    /** Heap retained by a scaler set of {@code symbols} symbols, measured around its construction. */
    static double scalerSetHeapMegabytes(int symbols) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Random random = new Random(SEED);
        List<String> names = new ArrayList<>(symbols);
        for (int i = 0; i < symbols; i++) {
            names.add("SYM" + i);
        }
        settle(memory);
        long before = memory.getHeapMemoryUsage().getUsed();
        ScalerSet.Builder builder = ScalerSet.builder(FeatureSpec.SCALED_COLUMNS);
        for (String name : names) {
            double[] means = random.doubles(FeatureSpec.SCALED_COUNT).toArray();
            double[] scales = random.doubles(FeatureSpec.SCALED_COUNT).toArray();
            builder.put(name, means, scales);
        }
        ScalerSet set = builder.build();
        builder = null;
        settle(memory);
        long after = memory.getHeapMemoryUsage().getUsed();
        if (set.size() != symbols) {
            throw new IllegalStateException("scaler set lost symbols");
        }
        return (after - before) / BYTES_PER_MB;
    }

    private static void settle(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            memory.gc();
        }
    }

    /**
     * @param batch how many windows
     * @return seeded standard-normal windows, the same for every call
     */
    public static float[] randomWindows(int batch) {
        Random random = new Random(SEED);
        float[] windows = new float[batch * Features.WINDOW_SIZE];
        for (int i = 0; i < windows.length; i++) {
            windows[i] = (float) random.nextGaussian();
        }
        return windows;
    }

    private static double percentile(double[] sorted, double fraction) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(fraction * (sorted.length - 1)))];
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ForwardBench()).execute(args));
    }
}

package io.pricecast.model.network;

/**
 * Sends small batches to one forward pass and large ones to another. DJL pays a fixed cost per native op
 * (about 80 ops per call), so below a few dozen windows the plain-Java pass is faster; above, DJL's batched
 * matmuls win. Closing closes both.
 */
public final class RoutedForwardPass implements ForwardPass, AutoCloseable {

    /** Batches below this size go to the small-batch pass by default (measured crossover, docs/benchmarks.md). */
    public static final int DEFAULT_THRESHOLD = 32;

    private final ForwardPass small;
    private final ForwardPass large;
    private final int threshold;

    public RoutedForwardPass(ForwardPass small, ForwardPass large, int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be positive: " + threshold);
        }
        this.small = small;
        this.large = large;
        this.threshold = threshold;
    }

    @Override
    public float[] predict(float[] windows, int batchSize) {
        return batchSize < threshold ? small.predict(windows, batchSize) : large.predict(windows, batchSize);
    }

    @Override
    public void close() throws Exception {
        try {
            if (large instanceof AutoCloseable closeable) {
                closeable.close();
            }
        } finally {
            if (small instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }
}

package io.pricecast.model.network;

/**
 * How the DJL PyTorch engine is started: intra-op and inter-op thread counts, always offline.
 * The engine reads these system properties once, when it is first loaded in the JVM.
 *
 * @param threads        PyTorch intra-op threads ({@value #THREADS_PROPERTY})
 * @param interopThreads PyTorch inter-op threads ({@value #INTEROP_THREADS_PROPERTY})
 */
public record DjlSettings(int threads, int interopThreads) {

    public static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";
    public static final String INTEROP_THREADS_PROPERTY = "ai.djl.pytorch.num_interop_threads";
    /** DJL's switch that forbids any download (same as the {@code DJL_OFFLINE=true} environment variable). */
    public static final String OFFLINE_PROPERTY = "ai.djl.offline";
    /** Environment variable that overrides the default thread count. */
    public static final String THREADS_ENV = "PRICECAST_TORCH_THREADS";

    public DjlSettings {
        if (threads < 1 || interopThreads < 1) {
            throw new IllegalArgumentException("thread counts must be positive: " + threads + ", " + interopThreads);
        }
    }

    /** Default intra-op threads: measured on 2 shared cores, more threads collapse small-batch throughput. */
    public static final int DEFAULT_THREADS = 1;

    /**
     * Threads from {@value #THREADS_PROPERTY} or {@value #THREADS_ENV}, else {@value #DEFAULT_THREADS}
     * (see docs/benchmarks.md: raise it for bulk scoring of large batches on otherwise idle cores);
     * one inter-op thread (the model has no parallel branches worth scheduling).
     */
    public static DjlSettings fromEnvironment() {
        String configured = System.getProperty(THREADS_PROPERTY, System.getenv(THREADS_ENV));
        int threads =
                configured == null || configured.isBlank() ? DEFAULT_THREADS : Integer.parseInt(configured.trim());
        String interop = System.getProperty(INTEROP_THREADS_PROPERTY);
        return new DjlSettings(threads, interop == null ? 1 : Integer.parseInt(interop.trim()));
    }

    /** Publishes the settings as the system properties DJL reads; offline unless explicitly set otherwise. */
    public void apply() {
        System.setProperty(THREADS_PROPERTY, Integer.toString(threads));
        System.setProperty(INTEROP_THREADS_PROPERTY, Integer.toString(interopThreads));
        if (System.getProperty(OFFLINE_PROPERTY) == null) {
            System.setProperty(OFFLINE_PROPERTY, "true");
        }
    }
}

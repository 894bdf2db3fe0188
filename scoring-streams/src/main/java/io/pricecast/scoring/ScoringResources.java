package io.pricecast.scoring;

import io.pricecast.model.serving.Engine;
import io.pricecast.model.serving.ModelCache;
import io.pricecast.scoring.metrics.ScoringMeters;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the tasks of one process share: the loaded models, the meters and the threads that run batched
 * forward passes. Created by the process (or a test), handed to the topology, closed after the Streams
 * application.
 *
 * @param models        loaded models, each once per process
 * @param meters        the application's own meters
 * @param forwardPasses runs batched forward passes while the stream threads process the next records; null runs
 *                      them on the stream thread (what a TopologyTestDriver test needs to see outputs at once)
 */
public record ScoringResources(ModelCache models, ScoringMeters meters, ExecutorService forwardPasses)
        implements AutoCloseable {

    private static final long CLOSE_WAIT_SECONDS = 30;

    /** Fresh resources, forward passes on the stream threads, meters of their own; nothing is loaded before use. */
    public static ScoringResources create(Engine engine) {
        return create(engine, 0, new ScoringMeters());
    }

    /**
     * Fresh resources; nothing is loaded before first use.
     *
     * @param forwardThreads threads for batched forward passes (one per stream thread lets each stream thread's
     *                       batches run beside it); 0 runs them on the stream threads
     * @param meters         where the application counts
     */
    public static ScoringResources create(Engine engine, int forwardThreads, ScoringMeters meters) {
        if (forwardThreads < 0) {
            throw new IllegalArgumentException("forwardThreads must not be negative: " + forwardThreads);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadFactory named = r -> {
            Thread t = new Thread(r, "scoring-forward-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new ScoringResources(
                new ModelCache(engine, meters.modelListener()),
                meters,
                forwardThreads == 0 ? null : Executors.newFixedThreadPool(forwardThreads, named));
    }

    /** Stops the forward-pass threads (waiting for a running pass) before the models they use are closed. */
    @Override
    public void close() throws Exception {
        try {
            if (forwardPasses != null) {
                forwardPasses.shutdown();
                forwardPasses.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            models.close();
        }
    }
}

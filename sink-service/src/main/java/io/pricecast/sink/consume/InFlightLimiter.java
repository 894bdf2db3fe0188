package io.pricecast.sink.consume;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/** Bounds the asynchronous requests in flight: {@link #submit} blocks while the bound is reached. */
public final class InFlightLimiter {

    private final Semaphore permits;
    private final int max;

    /** @param max most requests in flight at once */
    public InFlightLimiter(int max) {
        this.max = max;
        this.permits = new Semaphore(max);
    }

    /**
     * Starts a request once a permit is free; the permit returns when the request completes.
     *
     * @param request starts the request
     * @return its completion
     * @throws InterruptedException when interrupted while waiting for a permit
     */
    public CompletableFuture<?> submit(Supplier<? extends CompletionStage<?>> request) throws InterruptedException {
        permits.acquire();
        CompletionStage<?> stage;
        try {
            stage = request.get();
        } catch (RuntimeException e) {
            permits.release();
            return CompletableFuture.failedFuture(e);
        }
        return stage.toCompletableFuture().whenComplete((r, e) -> permits.release());
    }

    /** @return requests in flight now */
    public int inFlight() {
        return max - permits.availablePermits();
    }

    /** @return the bound */
    public int max() {
        return max;
    }
}

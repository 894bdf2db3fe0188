package io.pricecast.ingest.history;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Asynchronous Cassandra requests (writes, or reads whose results the caller joins) with a bounded number in flight. The driver refuses a request beyond its connection's
 * limit ({@code max-requests-per-connection}, 1,024) at once, with {@code NodeUnavailableException: No connection was
 * available}; an upload of thousands of new series, one baseline and one head write each, fired them all together and
 * failed. {@link #submit} blocks while {@value #MAX_IN_FLIGHT} requests are outstanding; {@link #awaitAll} waits for the rest
 * and rethrows the first failure. One instance per batch of requests, used by one thread.
 */
public final class BoundedRequests {

    /** Requests in flight per instance: two upload workers and the console intake stay well under the driver's 1,024. */
    public static final int MAX_IN_FLIGHT = 128;

    private final Semaphore permits = new Semaphore(MAX_IN_FLIGHT);
    private final List<CompletableFuture<?>> pending = new ArrayList<>();

    /**
     * Starts one request once fewer than {@value #MAX_IN_FLIGHT} are in flight.
     *
     * @param request starts the request
     * @return its outcome
     */
    public <T> CompletableFuture<T> submit(Supplier<? extends CompletionStage<T>> request) {
        permits.acquireUninterruptibly();
        CompletableFuture<T> started;
        try {
            started = request.get().toCompletableFuture();
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
        started.whenComplete((result, error) -> permits.release());
        pending.add(started);
        if (pending.size() >= 4 * MAX_IN_FLIGHT) {
            // keep the list short; a failed request surfaces here rather than at the end
            pending.removeIf(f -> {
                if (!f.isDone()) {
                    return false;
                }
                f.join(); // rethrows the error of a failed request
                return true;
            });
        }
        return started;
    }

    /** Waits for every submitted request; throws the first failure (a {@code CompletionException}). */
    public void awaitAll() {
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        pending.clear();
    }
}

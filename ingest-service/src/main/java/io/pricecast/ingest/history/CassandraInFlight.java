package io.pricecast.ingest.history;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;

/**
 * Bounds the asynchronous Cassandra requests the service has in flight. The driver takes at most
 * {@code max-requests-per-connection} (1,024 by default) at once per connection and fails any request beyond it
 * at once with "No connection was available"; an upload of thousands of series wrote a head per series in one
 * burst and failed exactly so. A caller at the bound waits for a request to complete. Thread-safe.
 */
public final class CassandraInFlight {

    /** Requests in flight at most, well under the driver's per-connection limit. */
    public static final int DEFAULT_MAX = 256;

    private final CqlSession session;
    private final Semaphore permits;

    /**
     * @param session the process's session
     * @param max     requests in flight at most
     */
    public CassandraInFlight(CqlSession session, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max in-flight requests must be positive: " + max);
        }
        this.session = session;
        this.permits = new Semaphore(max);
    }

    /** Starts {@code statement} once fewer than the bound are in flight (waiting until then). */
    public CompletionStage<AsyncResultSet> execute(Statement<?> statement) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
        try {
            return session.executeAsync(statement).whenComplete((result, error) -> permits.release());
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
    }
}

package io.pricecast.sink.consume;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks Cassandra a trivial question every few seconds, so {@code /health} knows it is down even when
 * no record is being written. The question shares the session's throttler with the consumers' writes: when its queue
 * is full the probe gives no verdict.
 */
public final class CassandraProbe implements AutoCloseable {

    /** How often the probe runs. */
    static final Duration INTERVAL = Duration.ofSeconds(1);

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final CqlSession session;
    private final PreparedStatement query;
    private final ScheduledExecutorService timer;
    private volatile State state = new State(true, "not probed yet", Instant.now());

    /**
     * The state seen by the last probe.
     *
     * @param up     whether Cassandra answered
     * @param detail what it answered, or why it did not
     * @param since  when the state began
     */
    public record State(boolean up, String detail, Instant since) {}

    /** @param session the session */
    public CassandraProbe(CqlSession session) {
        this.session = session;
        this.query = session.prepare("SELECT release_version FROM system.local");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cassandra-probe");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts probing. */
    public void start() {
        timer.scheduleWithFixedDelay(this::probe, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return the last state */
    public State state() {
        return state;
    }

    private void probe() {
        try {
            var row = session.executeAsync(query.bind().setTimeout(TIMEOUT))
                    .toCompletableFuture()
                    .get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS)
                    .one();
            record(true, "Cassandra " + (row == null ? "?" : row.getString(0)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RequestThrottlingException) {
                return; // the session's throttler queue is full of the consumers' writes: busy, not unreachable
            }
            record(
                    false,
                    "Cassandra unreachable: " + cause.getClass().getSimpleName()
                            + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
        }
    }

    private void record(boolean up, String detail) {
        State previous = state;
        state = new State(up, detail, previous.up() == up ? previous.since() : Instant.now());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package io.pricecast.sink.consume;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pricecast.sink.cql.SinkTables;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The sink's write meters:
 *
 * <pre>
 * pricecast_sink_rows_written_total{table}     rows Cassandra acknowledged (a replay after a restart counts again);
 *                                              table="predictions_by_series" is the forecasts persisted
 * pricecast_sink_dead_letters_total            records sent to the dead letter
 * pricecast_sink_write_retries_total           writes retried after a transient failure
 * pricecast_sink_writes_throttled_total        writes started again because the driver's throttler queue was full
 * pricecast_sink_requests_written_total        requests acknowledged (a row, a partition's batch, a packed batch)
 * pricecast_sink_batches_committed_total       batches whose offsets were committed
 * pricecast_sink_writes_in_flight              writes started and not yet answered, all consumers together
 * </pre>
 */
public final class SinkMeters {

    public static final String ROWS_WRITTEN = "pricecast.sink.rows.written";

    private final MeterRegistry registry;
    private final Map<String, Counter> rowsWritten = new ConcurrentHashMap<>();
    private final Counter deadLettered;
    private final Counter writeRetries;
    private final Counter batchesCommitted;
    private final Counter requestsWritten;
    private final Counter writesThrottled;
    private final LongAdder writesInFlight = new LongAdder();

    /** Meters in a registry of their own, for a test of one consumer. */
    public SinkMeters() {
        this(new SimpleMeterRegistry());
    }

    /** @param registry the service's registry; one row counter per table is registered up front */
    public SinkMeters(MeterRegistry registry) {
        this.registry = registry;
        SinkTables.ALL.forEach(this::rowCounter);
        deadLettered = counter(registry, "pricecast.sink.dead.letters", "records sent to the dead letter");
        writeRetries = counter(registry, "pricecast.sink.write.retries", "writes retried after a transient failure");
        batchesCommitted =
                counter(registry, "pricecast.sink.batches.committed", "batches whose offsets were committed");
        requestsWritten = counter(registry, "pricecast.sink.requests.written", "requests Cassandra acknowledged");
        writesThrottled = counter(
                registry,
                "pricecast.sink.writes.throttled",
                "writes started again because the driver's throttler queue was full");
        Gauge.builder("pricecast.sink.writes.in.flight", writesInFlight, LongAdder::sum)
                .description("writes started and not yet answered, all consumers together")
                .register(registry);
    }

    private Counter rowCounter(String table) {
        return rowsWritten.computeIfAbsent(
                table,
                t -> Counter.builder(ROWS_WRITTEN)
                        .description("rows Cassandra acknowledged, by table")
                        .tag("table", t)
                        .register(registry));
    }

    private static Counter counter(MeterRegistry registry, String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    void rowsWritten(String table, int rows) {
        rowCounter(table).increment(rows);
    }

    void recordDeadLetter() {
        deadLettered.increment();
    }

    void writeRetried(int count) {
        writeRetries.increment(count);
    }

    void writeThrottled(int count) {
        writesThrottled.increment(count);
    }

    void writeStarted() {
        writesInFlight.increment();
    }

    void writeEnded() {
        writesInFlight.decrement();
    }

    void requestWritten() {
        requestsWritten.increment();
    }

    void batchCommitted() {
        batchesCommitted.increment();
    }

    /**
     * @param table a table name
     * @return rows this process wrote to it (replays count again)
     */
    public long rowsWritten(String table) {
        Counter c = rowsWritten.get(table);
        return c == null ? 0 : (long) c.count();
    }

    /** @return rows written per table */
    public Map<String, Long> rowsWritten() {
        Map<String, Long> m = new LinkedHashMap<>();
        SinkTables.ALL.forEach(t -> m.put(t, rowsWritten(t)));
        return m;
    }

    /** @return records sent to the dead letter */
    public long deadLettered() {
        return (long) deadLettered.count();
    }

    /** @return writes retried after a transient failure */
    public long writeRetries() {
        return (long) writeRetries.count();
    }

    /** @return writes started again because the driver's throttler queue was full (not failures) */
    public long writesThrottled() {
        return (long) writesThrottled.count();
    }

    /** @return writes (and dead letters) started and not yet answered, all consumers together */
    public long writesInFlight() {
        return writesInFlight.sum();
    }

    /** @return requests Cassandra acknowledged */
    public long requestsWritten() {
        return (long) requestsWritten.count();
    }

    /** @return batches whose offsets were committed */
    public long batchesCommitted() {
        return (long) batchesCommitted.count();
    }
}

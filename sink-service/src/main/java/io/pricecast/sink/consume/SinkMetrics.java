package io.pricecast.sink.consume;

import io.pricecast.sink.cql.SinkTables;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the process, served on {@code /metrics}. */
public final class SinkMetrics {

    private final Map<String, LongAdder> rowsWritten = new ConcurrentHashMap<>();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder writeRetries = new LongAdder();
    private final LongAdder batchesCommitted = new LongAdder();
    private final LongAdder requestsWritten = new LongAdder();
    private final LongAdder writesThrottled = new LongAdder();
    private final LongAdder writesInFlight = new LongAdder();

    /** Creates the counters, one per table. */
    public SinkMetrics() {
        SinkTables.ALL.forEach(t -> rowsWritten.put(t, new LongAdder()));
    }

    void rowsWritten(String table, int rows) {
        rowsWritten.computeIfAbsent(table, t -> new LongAdder()).add(rows);
    }

    void recordDeadLetter() {
        deadLettered.increment();
    }

    void writeRetried(int count) {
        writeRetries.add(count);
    }

    void writeThrottled(int count) {
        writesThrottled.add(count);
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
        LongAdder a = rowsWritten.get(table);
        return a == null ? 0 : a.sum();
    }

    /** @return rows written per table */
    public Map<String, Long> rowsWritten() {
        Map<String, Long> m = new LinkedHashMap<>();
        SinkTables.ALL.forEach(t -> m.put(t, rowsWritten(t)));
        return m;
    }

    /** @return records sent to the dead letter */
    public long deadLettered() {
        return deadLettered.sum();
    }

    /** @return writes retried after a transient failure */
    public long writeRetries() {
        return writeRetries.sum();
    }

    /** @return writes started again because the driver's throttler queue was full (not failures) */
    public long writesThrottled() {
        return writesThrottled.sum();
    }

    /**
     * @return writes (and dead letters) started and not yet answered, all consumers together: running, or waiting in
     *         the driver's throttler queue
     */
    public long writesInFlight() {
        return writesInFlight.sum();
    }

    /** @return requests (a row, a partition's batch, or a batch packing several partitions) Cassandra acknowledged */
    public long requestsWritten() {
        return requestsWritten.sum();
    }

    /** @return batches whose offsets were committed */
    public long batchesCommitted() {
        return batchesCommitted.sum();
    }
}

package io.pricecast.sink.consume;

import io.pricecast.avro.RecordSource;
import io.pricecast.sink.cql.CqlWrite;
import io.pricecast.sink.cql.KafkaPosition;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What one topic's records become in Cassandra: validation, then idempotent upserts.
 *
 * @param <V> the record type
 */
public interface RecordHandler<V> {

    /**
     * @param value    the deserialised record
     * @param position where it was read
     * @return its upserts
     * @throws InvalidRecordException when it cannot be stored as it is
     */
    List<CqlWrite> writes(V value, KafkaPosition position) throws InvalidRecordException;

    /** @return the record's dataset, for a dead letter */
    String dataset(V value);

    /** @return the record's symbol, for a dead letter */
    String symbol(V value);

    /** @return how the record entered the system, for a dead letter */
    RecordSource source(V value);

    /**
     * Work that needs this batch's rows to be stored (the accuracy scoring): started once every write of
     * the batch was acknowledged, before its offsets are committed; it must be idempotent. A failed future
     * is retried like a failed write.
     *
     * @param stored the batch's records whose rows were stored, in the order they were read
     * @return its completion
     */
    default CompletableFuture<?> afterStored(List<V> stored) {
        return CompletableFuture.completedFuture(null);
    }
}

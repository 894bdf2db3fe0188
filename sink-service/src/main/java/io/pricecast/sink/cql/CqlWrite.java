package io.pricecast.sink.cql;

import com.datastax.oss.driver.api.core.cql.BoundStatement;

/**
 * One idempotent row write, named by its table for the metrics.
 *
 * @param table     table name
 * @param statement the bound upsert (marked idempotent)
 */
public record CqlWrite(String table, BoundStatement statement) {
}

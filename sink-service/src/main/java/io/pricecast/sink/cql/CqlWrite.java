package io.pricecast.sink.cql;

import com.datastax.oss.driver.api.core.cql.BoundStatement;

/**
 * One idempotent row write, named by its table for the metrics.
 *
 * @param table     table name
 * @param statement the bound upsert (marked idempotent)
 * @param latestOf  for a row whose newest value is all that matters (a rolling figure), its primary key: of the
 *                  writes of one polled batch with the same key only the last is sent; null for every other row
 */
public record CqlWrite(String table, BoundStatement statement, Object latestOf) {

    /** A row written whatever else the batch holds. */
    public CqlWrite(String table, BoundStatement statement) {
        this(table, statement, null);
    }
}

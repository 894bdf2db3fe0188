package io.pricecast.sink.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import io.pricecast.runtime.cql.CqlMigrations;
import java.util.List;

/**
 * The sink's tables: its versioned {@code cql/V*.cql} files, applied at every start by {@link CqlMigrations}
 * (every statement {@code IF NOT EXISTS}: tables, types, added columns).
 */
public final class SinkSchema {

    /** The schema files. A change to a table is a new file, never an edit of an applied one. */
    public static final CqlMigrations MIGRATIONS = CqlMigrations.of(
            List.of("cql/V001__sink_tables.cql", "cql/V002__accuracy_tables.cql", "cql/V003__compact_rows.cql"));

    private SinkSchema() {}

    /**
     * Creates the types and tables in {@code keyspace} (which must exist).
     *
     * @param session  the session
     * @param keyspace keyspace name
     */
    public static void apply(CqlSession session, String keyspace) {
        MIGRATIONS.apply(session, keyspace);
    }

    /**
     * @param keyspace keyspace name
     * @return every DDL statement of {@link #MIGRATIONS}, keyspace filled in
     */
    public static List<String> statements(String keyspace) {
        return MIGRATIONS.statements(keyspace);
    }
}

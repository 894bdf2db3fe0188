package io.pricecast.ingest.store;

import com.datastax.oss.driver.api.core.CqlSession;
import io.pricecast.runtime.cql.CqlMigrations;
import java.util.List;

/**
 * Ingest-service's tables: its versioned {@code cql/V*.cql} files, applied at every start by
 * {@link CqlMigrations} (every statement idempotent).
 */
public final class CqlSchema {

    /** The DDL files. A change to a table is a new file, never an edit of an applied one. */
    static final CqlMigrations MIGRATIONS = CqlMigrations.of(List.of(
            "cql/V001__ingest_tables.cql", "cql/V002__history_moved_to_scoring.cql", "cql/V003__upload_owner.cql"));

    private CqlSchema() {}

    /**
     * @param session  the process's session
     * @param keyspace the keyspace, which exists already
     */
    public static void apply(CqlSession session, String keyspace) {
        MIGRATIONS.apply(session, keyspace);
    }
}

package io.pricecast.sink.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.pricecast.schemas.SharedTables;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * The symbols of each dataset ({@code symbols_by_dataset}). Writers ask for the upsert only the first
 * time this process sees a series, so the table costs one write per series, not one per record.
 */
public final class SymbolCatalog {

    /** Series remembered as already written; beyond this the oldest are forgotten (and simply written again). */
    static final int REMEMBERED_SERIES = 100_000;

    private final PreparedStatement insert;
    private final PreparedStatement select;
    private final Set<String> written =
            Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED_SERIES;
                }
            }));

    /**
     * @param session  the session
     * @param keyspace the keyspace
     */
    public SymbolCatalog(CqlSession session, String keyspace) {
        this.insert = session.prepare(
                "INSERT INTO " + keyspace + "." + SharedTables.SYMBOLS_BY_DATASET + " (dataset, symbol) VALUES (?, ?)");
        this.select = session.prepare(
                "SELECT symbol FROM " + keyspace + "." + SharedTables.SYMBOLS_BY_DATASET + " WHERE dataset = ?");
    }

    /**
     * @param dataset dataset
     * @param symbol  symbol
     * @return the upsert when this series was not written by this process yet
     */
    public Optional<BoundStatement> upsertIfNew(String dataset, String symbol) {
        if (!written.add(dataset + '\u0000' + symbol)) {
            return Optional.empty();
        }
        return Optional.of(insert.bind(dataset, symbol).setIdempotent(true));
    }

    /**
     * @param session the session
     * @param dataset dataset
     * @return its symbols in token order of the clustering (alphabetical), paged
     */
    public Iterable<String> symbols(CqlSession session, String dataset) {
        Iterable<Row> rows = session.execute(select.bind(dataset));
        return () -> StreamSupport.stream(rows.spliterator(), false)
                .map(r -> r.getString(0))
                .iterator();
    }

    /**
     * @param session the session
     * @param dataset dataset
     * @return its symbols as a list
     */
    public List<String> symbolList(CqlSession session, String dataset) {
        return StreamSupport.stream(symbols(session, dataset).spliterator(), false)
                .toList();
    }
}

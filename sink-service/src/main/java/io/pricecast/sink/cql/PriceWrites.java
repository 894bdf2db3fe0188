package io.pricecast.sink.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.pricecast.avro.PriceRecord;
import io.pricecast.schemas.RowLineage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The upserts of one accepted {@code PriceRecord}: its row in {@code prices_by_series} (the six numbers as columns,
 * the rest of its lineage as one JSON column) and its series in the catalogue the first time.
 */
public final class PriceWrites {

    private final PreparedStatement insert;
    private final SymbolCatalog symbols;
    private final String sinkVersion;

    /**
     * @param session     the session
     * @param keyspace    keyspace
     * @param symbols     the symbol catalogue
     * @param sinkVersion code version stamped on every row
     */
    public PriceWrites(CqlSession session, String keyspace, SymbolCatalog symbols, String sinkVersion) {
        this.insert = session.prepare("INSERT INTO " + keyspace + "." + SinkTables.PRICES_BY_SERIES
                + " (dataset, symbol, date, open, high, low, close, volume, market, lineage)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        this.symbols = symbols;
        this.sinkVersion = sinkVersion;
    }

    /**
     * @param p        the record
     * @param position where it was read
     * @return its upserts
     */
    public List<CqlWrite> writes(PriceRecord p, KafkaPosition position) {
        String lineage = RowLineage.ofPrice(
                p,
                new RowLineage.Stored(
                        position.topic(), position.partition(), position.offset(), sinkVersion, Instant.now()));
        List<CqlWrite> writes = new ArrayList<>(2);
        writes.add(new CqlWrite(
                SinkTables.PRICES_BY_SERIES,
                insert.bind(
                                p.getDataset(),
                                p.getSymbol(),
                                p.getDate(),
                                p.getOpen(),
                                p.getHigh(),
                                p.getLow(),
                                p.getClose(),
                                p.getVolume(),
                                p.getMarket(),
                                lineage)
                        .setIdempotent(true)));
        symbols.upsertIfNew(p.getDataset(), p.getSymbol())
                .ifPresent(s -> writes.add(new CqlWrite(SinkTables.SYMBOLS_BY_DATASET, s)));
        return writes;
    }
}

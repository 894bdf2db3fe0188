package io.pricecast.sink.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.pricecast.avro.Prediction;
import io.pricecast.schemas.RowLineage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The upserts of one {@code Prediction}: its row in {@code predictions_by_series}, with as columns what cqlsh users
 * filter and read and what the export chooses a day's forecast by (dates, forecast, base open, scoring time and
 * version), and the rest of its lineage as one JSON column; and its series in the catalogue the first time. (Its
 * prediction id names the row, so no pointer row is written; an upload's forecasts are counted in
 * {@code upload_verdicts}, so no per-upload row either.)
 */
public final class PredictionWrites {

    private final PreparedStatement insert;
    private final SymbolCatalog symbols;
    private final String sinkVersion;

    /**
     * @param session     the session
     * @param keyspace    keyspace
     * @param symbols     the symbol catalogue
     * @param sinkVersion code version stamped on every row
     */
    public PredictionWrites(CqlSession session, String keyspace, SymbolCatalog symbols, String sinkVersion) {
        this.insert = session.prepare("INSERT INTO " + keyspace + "." + SinkTables.PREDICTIONS_BY_SERIES
                + " (dataset, symbol, target_date, model_version, prediction_id, base_date, pred_open, base_open,"
                + " scored_at, scoring_version, lineage) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        this.symbols = symbols;
        this.sinkVersion = sinkVersion;
    }

    /**
     * @param p        the prediction
     * @param position where it was read
     * @return its upserts
     */
    public List<CqlWrite> writes(Prediction p, KafkaPosition position) {
        String lineage = RowLineage.ofForecast(
                p,
                new RowLineage.Stored(
                        position.topic(), position.partition(), position.offset(), sinkVersion, Instant.now()));
        List<CqlWrite> writes = new ArrayList<>(2);
        writes.add(new CqlWrite(
                SinkTables.PREDICTIONS_BY_SERIES,
                insert.bind(
                                p.getDataset(),
                                p.getSymbol(),
                                p.getTargetDate(),
                                p.getModelVersion(),
                                p.getPredictionId(),
                                p.getBaseDate(),
                                p.getPredOpen(),
                                p.getBaseOpen(),
                                p.getScoredAt(),
                                p.getScoringVersion(),
                                lineage)
                        .setIdempotent(true)));
        symbols.upsertIfNew(p.getDataset(), p.getSymbol())
                .ifPresent(s -> writes.add(new CqlWrite(SinkTables.SYMBOLS_BY_DATASET, s)));
        return writes;
    }
}

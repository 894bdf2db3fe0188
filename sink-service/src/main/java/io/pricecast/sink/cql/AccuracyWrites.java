package io.pricecast.sink.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.pricecast.avro.Accuracy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The upserts of one {@code Accuracy} record, as scoring computed it (nothing is read): the scored forecast's row in
 * {@code forecast_errors_by_series}, the series' rolling figures in {@code accuracy_by_model} (only the newest of a
 * polled batch is written: a backfill's days each update the same row), and the model version in
 * {@code accuracy_models_by_dataset} the first time this process sees it in a dataset.
 */
public final class AccuracyWrites {

    private final PreparedStatement insertError;
    private final PreparedStatement insertFigures;
    private final PreparedStatement insertModel;
    private final Set<String> modelsWritten = Collections.newSetFromMap(new ConcurrentHashMap<>());

    /**
     * @param session  the session
     * @param keyspace keyspace (with the V2 tables)
     */
    public AccuracyWrites(CqlSession session, String keyspace) {
        this.insertError = session.prepare("INSERT INTO " + keyspace + "." + SinkTables.FORECAST_ERRORS_BY_SERIES
                + " (dataset, symbol, model_version, target_date, prediction_id, pred_open, val_open, base_open, abs_error,"
                + " naive_abs_error, evaluated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        this.insertFigures = session.prepare("INSERT INTO " + keyspace + "." + SinkTables.ACCURACY_BY_MODEL
                + " (dataset, model_version, symbol, last_target_date, scored_7, mad_7, naive_mad_7, scored_30, mad_30,"
                + " naive_mad_30, flagged, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        this.insertModel = session.prepare("INSERT INTO " + keyspace + "." + SinkTables.ACCURACY_MODELS_BY_DATASET
                + " (dataset, model_version) VALUES (?, ?)");
    }

    /**
     * @param a the scored forecast and its series' figures
     * @return its upserts
     */
    public List<CqlWrite> writes(Accuracy a) {
        List<CqlWrite> writes = new ArrayList<>(3);
        writes.add(new CqlWrite(
                SinkTables.FORECAST_ERRORS_BY_SERIES,
                insertError
                        .bind(
                                a.getDataset(),
                                a.getSymbol(),
                                a.getModelVersion(),
                                a.getTargetDate(),
                                a.getPredictionId(),
                                a.getPredOpen(),
                                a.getValOpen(),
                                a.getBaseOpen(),
                                a.getAbsError(),
                                a.getNaiveAbsError(),
                                a.getEvaluatedAt())
                        .setIdempotent(true)));
        writes.add(new CqlWrite(
                SinkTables.ACCURACY_BY_MODEL,
                insertFigures
                        .bind(
                                a.getDataset(),
                                a.getModelVersion(),
                                a.getSymbol(),
                                a.getLastTargetDate(),
                                a.getScored7(),
                                a.getMad7(),
                                a.getNaiveMad7(),
                                a.getScored30(),
                                a.getMad30(),
                                a.getNaiveMad30(),
                                a.getFlagged(),
                                a.getEvaluatedAt())
                        .setIdempotent(true),
                List.of(SinkTables.ACCURACY_BY_MODEL, a.getDataset(), a.getModelVersion(), a.getSymbol())));
        if (modelsWritten.add(a.getDataset() + '\u0000' + a.getModelVersion())) {
            writes.add(new CqlWrite(
                    SinkTables.ACCURACY_MODELS_BY_DATASET,
                    insertModel.bind(a.getDataset(), a.getModelVersion()).setIdempotent(true)));
        }
        return writes;
    }
}

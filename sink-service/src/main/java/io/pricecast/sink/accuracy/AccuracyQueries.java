package io.pricecast.sink.accuracy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.pricecast.sink.cql.SinkTables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the accuracy tables: the table of a dataset (and model version), and the figures of one series. */
public final class AccuracyQueries {

    private static final String COLUMNS =
            "dataset, model_version, symbol, last_target_date, scored_7, mad_7, naive_mad_7,"
                    + " scored_30, mad_30, naive_mad_30, flagged";

    private final CqlSession session;
    private final PreparedStatement datasets;
    private final PreparedStatement models;
    private final PreparedStatement table;
    private final PreparedStatement series;
    private final String scanAll;

    /**
     * @param session  the session
     * @param keyspace keyspace
     */
    public AccuracyQueries(CqlSession session, String keyspace) {
        this.session = session;
        this.datasets = session.prepare(
                "SELECT DISTINCT dataset FROM " + keyspace + "." + SinkTables.ACCURACY_MODELS_BY_DATASET);
        this.models = session.prepare("SELECT model_version FROM " + keyspace + "."
                + SinkTables.ACCURACY_MODELS_BY_DATASET + " WHERE dataset = ?");
        this.table = session.prepare("SELECT " + COLUMNS + " FROM " + keyspace + "." + SinkTables.ACCURACY_BY_MODEL
                + " WHERE dataset = ? AND model_version = ?");
        this.series = session.prepare("SELECT " + COLUMNS + " FROM " + keyspace + "." + SinkTables.ACCURACY_BY_MODEL
                + " WHERE dataset = ? AND model_version = ? AND symbol = ?");
        this.scanAll = "SELECT " + COLUMNS + " FROM " + keyspace + "." + SinkTables.ACCURACY_BY_MODEL;
    }

    /** @return the datasets that have accuracy figures */
    public List<String> datasets() {
        List<String> result = new ArrayList<>();
        session.execute(datasets.bind()).forEach(r -> result.add(r.getString(0)));
        return result.stream().sorted().toList();
    }

    /**
     * @param dataset dataset
     * @return its model versions that have accuracy figures, in order
     */
    public List<String> models(String dataset) {
        List<String> result = new ArrayList<>();
        session.execute(models.bind(dataset)).forEach(r -> result.add(r.getString(0)));
        return result;
    }

    /**
     * @param dataset dataset
     * @param model   model version, null for every one
     * @return the rolling figures of every series, by model version then symbol
     */
    public List<AccuracyRow> table(String dataset, String model) {
        List<AccuracyRow> result = new ArrayList<>();
        for (String m : model == null ? models(dataset) : List.of(model)) {
            session.execute(table.bind(dataset, m)).forEach(r -> result.add(figures(r)));
        }
        return result;
    }

    /**
     * @param dataset dataset
     * @param symbol  symbol
     * @return its figures under each model version
     */
    public List<AccuracyRow> series(String dataset, String symbol) {
        List<AccuracyRow> result = new ArrayList<>();
        for (String m : models(dataset)) {
            Row r = session.execute(series.bind(dataset, m, symbol)).one();
            if (r != null) {
                result.add(figures(r));
            }
        }
        return result;
    }

    /**
     * Loads every stored figure into the gauges (paged: one row per series and model version).
     *
     * @param gauges the gauges
     * @return rows loaded
     */
    public long loadInto(AccuracyMeters gauges) {
        long n = 0;
        for (Row r : session.execute(scanAll)) {
            AccuracyRow a = figures(r);
            gauges.loaded(a.dataset(), a.symbol(), a.modelVersion(), a.mad30(), a.naiveMad30(), a.flagged());
            n++;
        }
        return n;
    }

    /**
     * @param a figures
     * @return them as the JSON object of the HTTP API
     */
    public static Map<String, Object> json(AccuracyRow a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", a.dataset());
        m.put("symbol", a.symbol());
        m.put("model_version", a.modelVersion());
        m.put("last_target_date", a.lastTargetDate().toString());
        m.put("scored_7", a.scored7());
        m.put("mad_7", a.mad7());
        m.put("naive_mad_7", a.naiveMad7());
        m.put("scored_30", a.scored30());
        m.put("mad_30", a.mad30());
        m.put("naive_mad_30", a.naiveMad30());
        m.put("flagged", a.flagged());
        return m;
    }

    private static AccuracyRow figures(Row r) {
        return new AccuracyRow(
                r.getString(0),
                r.getString(2),
                r.getString(1),
                r.getLocalDate(3),
                r.getInt(4),
                r.getDouble(5),
                r.getDouble(6),
                r.getInt(7),
                r.getDouble(8),
                r.getDouble(9),
                r.getBoolean(10));
    }
}

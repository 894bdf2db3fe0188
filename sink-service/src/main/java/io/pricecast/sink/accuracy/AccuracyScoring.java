package io.pricecast.sink.accuracy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.sink.accuracy.RollingAccuracy.ScoredForecast;
import io.pricecast.sink.cql.SinkTables;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores forecasts against actual opens as either side arrives, and keeps the rolling figures.
 *
 * <p>Called by the consumers once a batch's rows are acknowledged and before its offsets are committed:
 * for stored prices it reads the forecasts of those days, for stored forecasts the prices of their target
 * days, and upserts a {@code forecast_errors_by_series} row for every pair found. Whichever of the two
 * arrives second finds the first (each side reads only after its own row is acknowledged, at
 * {@code LOCAL_QUORUM}), so both arrival orders are scored; when both find each other they write the
 * same row twice. Then it recomputes the rolling figures of every (series, model version) it touched
 * from the newest 30 error rows and upserts them into {@code accuracy_by_model} with a write timestamp
 * taken before that read, so of two concurrent recomputations the one that read later wins. A replay
 * does all of it again with the same result.
 */
public final class AccuracyScoring {

    private static final Logger LOG = LoggerFactory.getLogger(AccuracyScoring.class);
    private final CqlSession session;
    private final PreparedStatement forecastsOfDays;
    private final PreparedStatement opensOfDays;
    private final PreparedStatement insertError;
    private final PreparedStatement newestErrors;
    private final PreparedStatement insertAccuracy;
    private final PreparedStatement insertModel;
    private final AccuracyGauges gauges;
    private final Set<String> modelsWritten = Collections.newSetFromMap(new ConcurrentHashMap<>());
    private final LongAdder scored = new LongAdder();
    private final LongAdder failures = new LongAdder();

    /**
     * @param session  the session
     * @param keyspace keyspace (with the V2 tables)
     * @param gauges   the in-memory figures served on {@code /metrics}
     */
    public AccuracyScoring(CqlSession session, String keyspace, AccuracyGauges gauges) {
        this.session = session;
        this.gauges = gauges;
        this.forecastsOfDays = session.prepare("SELECT target_date, model_version, pred_open, base_open, prediction_id FROM "
                + keyspace + "." + SinkTables.PREDICTIONS_BY_SERIES
                + " WHERE dataset = ? AND symbol = ? AND target_date >= ? AND target_date <= ?");
        this.opensOfDays = session.prepare("SELECT date, open FROM " + keyspace + "." + SinkTables.PRICES_BY_SERIES
                + " WHERE dataset = ? AND symbol = ? AND date >= ? AND date <= ?");
        this.insertError = session.prepare("INSERT INTO " + keyspace + "." + SinkTables.FORECAST_ERRORS_BY_SERIES
                + " (dataset, symbol, model_version, target_date, prediction_id, pred_open, val_open, base_open, abs_error,"
                + " naive_abs_error, evaluated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        this.newestErrors = session.prepare("SELECT target_date, abs_error, naive_abs_error FROM " + keyspace + "."
                + SinkTables.FORECAST_ERRORS_BY_SERIES + " WHERE dataset = ? AND symbol = ? AND model_version = ? LIMIT "
                + RollingAccuracy.LONG_DAYS);
        this.insertAccuracy = session.prepare("INSERT INTO " + keyspace + "." + SinkTables.ACCURACY_BY_MODEL
                + " (dataset, model_version, symbol, last_target_date, scored_7, mad_7, naive_mad_7, scored_30, mad_30,"
                + " naive_mad_30, flagged, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?");
        this.insertModel = session.prepare("INSERT INTO " + keyspace + "." + SinkTables.ACCURACY_MODELS_BY_DATASET
                + " (dataset, model_version) VALUES (?, ?)");
    }

    /** @return forecasts scored by this process (a replay counts again) */
    public long forecastsScored() {
        return scored.sum();
    }

    /**
     * Scores the forecasts of the days of these prices (which are stored).
     *
     * @param prices stored price records, in the order they were read
     * @return completes once every error and rolling figure is stored; fails when Cassandra does
     */
    public CompletableFuture<Void> pricesStored(List<PriceRecord> prices) {
        return attempt(() -> {
            Map<Series, TreeMap<LocalDate, Double>> opens = new LinkedHashMap<>();
            for (PriceRecord p : prices) {
                opens.computeIfAbsent(new Series(p.getDataset(), p.getSymbol()), s -> new TreeMap<>()).put(p.getDate(), p.getOpen());
            }
            List<Series> series = new ArrayList<>(opens.keySet());
            List<List<Row>> found = AsyncRows.each(session, series, s -> forecastsOfDays.bind(s.dataset, s.symbol,
                    opens.get(s).firstKey(), opens.get(s).lastKey()));
            Map<ErrorKey, ScoredRow> rows = new LinkedHashMap<>();
            for (int i = 0; i < series.size(); i++) {
                Series s = series.get(i);
                for (Row f : found.get(i)) {
                    Double val = opens.get(s).get(f.getLocalDate(0));
                    if (val != null) {
                        ScoredRow r = new ScoredRow(s, f.getString(1), f.getLocalDate(0), f.getString(4), f.getDouble(2),
                                val, f.getDouble(3));
                        rows.put(r.key(), r);
                    }
                }
            }
            store(rows);
        });
    }

    /**
     * Scores these forecasts (which are stored) against the actual opens of their target days, where known.
     *
     * @param forecasts stored forecasts, in the order they were read
     * @return completes once every error and rolling figure is stored; fails when Cassandra does
     */
    public CompletableFuture<Void> forecastsStored(List<Prediction> forecasts) {
        return attempt(() -> {
            Map<Series, List<Prediction>> bySeries = new LinkedHashMap<>();
            for (Prediction p : forecasts) {
                bySeries.computeIfAbsent(new Series(p.getDataset(), p.getSymbol()), s -> new ArrayList<>()).add(p);
            }
            List<Series> series = new ArrayList<>(bySeries.keySet());
            List<List<Row>> found = AsyncRows.each(session, series, s -> {
                List<Prediction> ps = bySeries.get(s);
                LocalDate from = ps.stream().map(Prediction::getTargetDate).min(LocalDate::compareTo).orElseThrow();
                LocalDate to = ps.stream().map(Prediction::getTargetDate).max(LocalDate::compareTo).orElseThrow();
                return opensOfDays.bind(s.dataset, s.symbol, from, to);
            });
            Map<ErrorKey, ScoredRow> rows = new LinkedHashMap<>();
            for (int i = 0; i < series.size(); i++) {
                Series s = series.get(i);
                Map<LocalDate, Double> opens = new TreeMap<>();
                found.get(i).forEach(r -> opens.put(r.getLocalDate(0), r.getDouble(1)));
                for (Prediction p : bySeries.get(s)) {
                    Double val = opens.get(p.getTargetDate());
                    if (val != null) {
                        ScoredRow r = new ScoredRow(s, p.getModelVersion(), p.getTargetDate(), p.getPredictionId(),
                                p.getPredOpen(), val, p.getBaseOpen());
                        rows.put(r.key(), r);
                    }
                }
            }
            store(rows);
        });
    }

    private void store(Map<ErrorKey, ScoredRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        List<ScoredRow> list = new ArrayList<>(rows.values());
        AsyncRows.each(session, list, r -> insertError.bind(r.series.dataset, r.series.symbol, r.model, r.targetDate,
                r.predictionId, r.predOpen, r.valOpen, r.baseOpen, Math.abs(r.predOpen - r.valOpen),
                Math.abs(r.baseOpen - r.valOpen), now).setIdempotent(true));
        scored.add(list.size());

        Set<ModelSeries> touched = new LinkedHashSet<>();
        list.forEach(r -> touched.add(new ModelSeries(r.series, r.model)));
        List<ModelSeries> recompute = new ArrayList<>(touched);
        // the write timestamp of a recomputation is taken before its read: the later read wins
        long readAtMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        List<List<Row>> newest = AsyncRows.each(session, recompute,
                m -> newestErrors.bind(m.series.dataset, m.series.symbol, m.model));
        List<RollingAccuracy> figures = new ArrayList<>(recompute.size());
        for (int i = 0; i < recompute.size(); i++) {
            ModelSeries m = recompute.get(i);
            List<ScoredForecast> errors = newest.get(i).stream()
                    .map(r -> new ScoredForecast(r.getLocalDate(0), r.getDouble(1), r.getDouble(2))).toList();
            RollingAccuracy a = RollingAccuracy.of(m.series.dataset, m.series.symbol, m.model, errors);
            if (a != null) {
                figures.add(a);
            }
        }
        List<Statement<?>> writes = new ArrayList<>();
        for (RollingAccuracy a : figures) {
            writes.add(insertAccuracy.bind(a.dataset(), a.modelVersion(), a.symbol(), a.lastTargetDate(), a.scored7(),
                    a.mad7(), a.naiveMad7(), a.scored30(), a.mad30(), a.naiveMad30(), a.flagged(), now, readAtMicros)
                    .setIdempotent(true));
            if (modelsWritten.add(a.dataset() + '\u0000' + a.modelVersion())) {
                writes.add(insertModel.bind(a.dataset(), a.modelVersion()).setIdempotent(true));
            }
        }
        try {
            AsyncRows.each(session, writes, w -> w);
        } catch (RuntimeException e) {
            figures.forEach(a -> modelsWritten.remove(a.dataset() + '\u0000' + a.modelVersion()));
            throw e;
        }
        figures.forEach(gauges::update);
    }

    /**
     * Runs the scoring of one batch. A Cassandra failure fails the future, so the batch is retried (and not
     * committed) like a failed write; any other failure is a fault of the scoring itself, which must not
     * stop the sink from storing prices and forecasts: it is logged and counted, and the batch goes on.
     */
    private CompletableFuture<Void> attempt(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof DriverException) {
                return CompletableFuture.failedFuture(cause);
            }
            failures.increment();
            LOG.error("accuracy scoring of a batch failed; its forecasts stay unscored until they or their actuals arrive again",
                    cause);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** @return batches whose scoring failed for another reason than Cassandra (a bug: see the log) */
    public long failures() {
        return failures.sum();
    }

    private record Series(String dataset, String symbol) {
    }

    private record ModelSeries(Series series, String model) {
    }

    private record ErrorKey(Series series, String model, LocalDate targetDate) {
    }

    private record ScoredRow(Series series, String model, LocalDate targetDate, String predictionId, double predOpen,
                             double valOpen, double baseOpen) {
        ErrorKey key() {
            return new ErrorKey(series, model, targetDate);
        }
    }
}

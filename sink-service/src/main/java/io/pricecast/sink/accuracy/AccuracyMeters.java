package io.pricecast.sink.accuracy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pricecast.avro.Accuracy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The accuracy meters, aggregated so that their number does not grow with the symbols: one series per model version,
 * never one per (dataset, symbol). Kept in memory from every rolling figure this process stores, and loaded from
 * {@code accuracy_by_model} at start. Gauges are computed when scraped.
 *
 * <pre>
 * pricecast_accuracy_stored_total                         scored forecasts stored by this process
 * pricecast_accuracy_series{model_version}                series (dataset, symbol) with a 30-day figure
 * pricecast_accuracy_series_flagged{model_version}        of them, those whose 30-day MAD is worse than the naive one
 * pricecast_accuracy_mad30_mean{model_version}            mean 30-day MAD over the series
 * pricecast_accuracy_naive_mad30_mean{model_version}      mean 30-day MAD of the naive forecast (tomorrow = today)
 * </pre>
 */
public final class AccuracyMeters {

    public static final String SERIES_FLAGGED = "pricecast.accuracy.series.flagged";

    /** What the meters remember of one (dataset, symbol, model version). */
    private record Figure(String model, double mad30, double naiveMad30, boolean flagged) {}

    private final MeterRegistry registry;
    private final Map<String, Figure> figures = new ConcurrentHashMap<>();
    private final Set<String> models = ConcurrentHashMap.newKeySet();
    private final Counter stored;

    /** @param registry the service's registry */
    public AccuracyMeters(MeterRegistry registry) {
        this.registry = registry;
        this.stored = Counter.builder("pricecast.accuracy.stored")
                .description("scored forecasts stored by this process")
                .register(registry);
    }

    /** @param a a stored scored forecast, with the newest figures of its series and model version */
    public void update(Accuracy a) {
        remember(
                key(a.getDataset(), a.getSymbol(), a.getModelVersion()),
                new Figure(a.getModelVersion(), a.getMad30(), a.getNaiveMad30(), a.getFlagged()),
                true);
        stored.increment();
    }

    /** Figures read at start: never replace one computed since. */
    void loaded(String dataset, String symbol, String model, double mad30, double naiveMad30, boolean flagged) {
        remember(key(dataset, symbol, model), new Figure(model, mad30, naiveMad30, flagged), false);
    }

    private void remember(String key, Figure figure, boolean replace) {
        if (replace) {
            figures.put(key, figure);
        } else {
            figures.putIfAbsent(key, figure);
        }
        if (models.add(figure.model())) {
            String model = figure.model();
            gauge("pricecast.accuracy.series", "series with a 30-day figure", model, f -> 1);
            gauge(
                    SERIES_FLAGGED,
                    "series whose 30-day MAD is worse than the naive forecast's",
                    model,
                    f -> f.flagged ? 1 : 0);
            mean("pricecast.accuracy.mad30.mean", "mean 30-day MAD over the series", model, Figure::mad30);
            mean(
                    "pricecast.accuracy.naive.mad30.mean",
                    "mean 30-day MAD of the naive forecast over the series",
                    model,
                    Figure::naiveMad30);
        }
    }

    private void gauge(String name, String description, String model, ToDoubleFunction<Figure> value) {
        Gauge.builder(name, this, m -> m.sum(model, value))
                .description(description)
                .tag("model_version", model)
                .register(registry);
    }

    private void mean(String name, String description, String model, ToDoubleFunction<Figure> value) {
        Gauge.builder(name, this, m -> m.sum(model, value) / Math.max(1, m.sum(model, f -> 1)))
                .description(description)
                .tag("model_version", model)
                .register(registry);
    }

    private double sum(String model, ToDoubleFunction<Figure> value) {
        double sum = 0;
        for (Figure f : figures.values()) {
            if (f.model().equals(model)) {
                sum += value.applyAsDouble(f);
            }
        }
        return sum;
    }

    /** @return the status document's {@code accuracy} part: totals and one entry per model version */
    public Map<String, Object> status() {
        Map<String, Object> byModel = new TreeMap<>();
        long flagged = 0;
        for (String model : new TreeSet<>(models)) {
            double series = sum(model, f -> 1);
            double modelFlagged = sum(model, f -> f.flagged ? 1 : 0);
            flagged += (long) modelFlagged;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("series", (long) series);
            m.put("series_flagged", (long) modelFlagged);
            m.put("mean_mad_30", sum(model, Figure::mad30) / series);
            m.put("mean_naive_mad_30", sum(model, Figure::naiveMad30) / series);
            byModel.put(model, m);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("scored_forecasts_stored", (long) stored.count());
        result.put("series_tracked", figures.size());
        result.put("series_flagged", flagged);
        result.put("by_model", byModel);
        return result;
    }

    private static String key(String dataset, String symbol, String model) {
        return dataset + '\u0000' + symbol + '\u0000' + model;
    }
}

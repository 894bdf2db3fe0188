package io.pricecast.sink.accuracy;

import io.pricecast.avro.Accuracy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The accuracy figures of {@code /metrics}, aggregated so that their number does not grow with the
 * symbols: totals and one entry per model version, never one per series. Kept in memory from every
 * rolling figure this process stores, and loaded from {@code accuracy_by_model} at start.
 */
public final class AccuracyGauges {

    /** What the gauges remember of one (dataset, symbol, model version). */
    private record Figure(String model, double mad30, double naiveMad30, boolean flagged) {}

    private final Map<String, Figure> figures = new ConcurrentHashMap<>();

    private final java.util.concurrent.atomic.LongAdder scored = new java.util.concurrent.atomic.LongAdder();

    /** @param a a stored scored forecast, with the newest figures of its series and model version */
    public void update(Accuracy a) {
        figures.put(
                key(a.getDataset(), a.getSymbol(), a.getModelVersion()),
                new Figure(a.getModelVersion(), a.getMad30(), a.getNaiveMad30(), a.getFlagged()));
        scored.increment();
    }

    /** Figures read at start: never replace one computed since. */
    void loaded(String dataset, String symbol, String model, double mad30, double naiveMad30, boolean flagged) {
        figures.putIfAbsent(key(dataset, symbol, model), new Figure(model, mad30, naiveMad30, flagged));
    }

    /** @return the metrics document's {@code accuracy} part */
    public Map<String, Object> metrics() {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, double[]> sums = new TreeMap<>();
        long flagged = 0;
        for (Figure f : figures.values()) {
            long[] c = counts.computeIfAbsent(f.model, m -> new long[2]);
            double[] s = sums.computeIfAbsent(f.model, m -> new double[2]);
            c[0]++;
            s[0] += f.mad30;
            s[1] += f.naiveMad30;
            if (f.flagged) {
                c[1]++;
                flagged++;
            }
        }
        Map<String, Object> byModel = new LinkedHashMap<>();
        counts.forEach((model, c) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("series", c[0]);
            m.put("series_flagged", c[1]);
            m.put("mean_mad_30", sums.get(model)[0] / c[0]);
            m.put("mean_naive_mad_30", sums.get(model)[1] / c[0]);
            byModel.put(model, m);
        });
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("scored_forecasts_stored", scored.sum());
        result.put("series_tracked", figures.size());
        result.put("series_flagged", flagged);
        result.put("by_model", byModel);
        return result;
    }

    private static String key(String dataset, String symbol, String model) {
        return dataset + '\u0000' + symbol + '\u0000' + model;
    }
}

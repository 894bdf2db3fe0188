package io.pricecast.predict;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests of the predict routes counted by route and outcome (the HTTP status), and their latency in a fixed-bucket
 * histogram per route (cumulative counts, as Prometheus histograms are read), shown on {@code GET /metrics}.
 */
final class PredictMetrics {

    /** Upper bounds of the latency buckets, in milliseconds. */
    static final double[] BUCKETS_MS = {0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000, 5000, 30_000};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final LongAdder csvRows = new LongAdder();

    /** Counts one answered request. */
    void record(String route, int status, long nanos) {
        requests.computeIfAbsent(route + "|" + status, k -> new LongAdder()).increment();
        latency.computeIfAbsent(route, r -> new Histogram()).add(nanos);
    }

    /** Counts forecasts written by {@code /predict.csv}. */
    void csvForecasts(long rows) {
        csvRows.add(rows);
    }

    /** @return the figures, as JSON-ready maps */
    Map<String, Object> snapshot(String activeVersion) {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Map<String, Long>> byRoute = new TreeMap<>();
        requests.forEach((key, count) -> {
            int bar = key.lastIndexOf('|');
            byRoute.computeIfAbsent(key.substring(0, bar), r -> new TreeMap<>())
                    .put(key.substring(bar + 1), count.sum());
        });
        body.put("requests", byRoute);
        Map<String, Object> histograms = new TreeMap<>();
        latency.forEach((route, h) -> histograms.put(route, h.snapshot()));
        body.put("latency_ms", histograms);
        body.put("csv_forecasts", csvRows.sum());
        body.put("active_model", activeVersion);
        return body;
    }

    private static final class Histogram {
        private final AtomicLongArray counts = new AtomicLongArray(BUCKETS_MS.length + 1);
        private final LongAdder sumNanos = new LongAdder();

        void add(long nanos) {
            double ms = nanos / 1e6;
            int i = 0;
            while (i < BUCKETS_MS.length && ms > BUCKETS_MS[i]) {
                i++;
            }
            counts.incrementAndGet(i);
            sumNanos.add(nanos);
        }

        Map<String, Object> snapshot() {
            Map<String, Long> buckets = new LinkedHashMap<>();
            long cumulative = 0;
            for (int i = 0; i < BUCKETS_MS.length; i++) {
                cumulative += counts.get(i);
                buckets.put("le_" + BUCKETS_MS[i], cumulative);
            }
            cumulative += counts.get(BUCKETS_MS.length);
            buckets.put("le_inf", cumulative);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("count", cumulative);
            out.put("sum_ms", sumNanos.sum() / 1e6);
            out.put("buckets", buckets);
            return out;
        }
    }
}

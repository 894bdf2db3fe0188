package io.pricecast.scoring.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The Streams and client metrics the metrics endpoint shows, each aggregated over its tags (threads, tasks,
 * partitions, nodes) by a sum or a maximum.
 *
 * <p>Which metrics those are is looked up at most every {@link #RESOLVE_EVERY}: {@code KafkaStreams.metrics()} copies
 * every metric of every client, thousands of them, and a bench or a dashboard polling {@code /metrics} many times a
 * second made that a visible share of the service's CPU. Between look-ups the values are read from the metrics
 * found; a task that moved away meanwhile shows its last values until the next look-up.
 */
final class StreamsMetricsView {

    static final Duration RESOLVE_EVERY = Duration.ofSeconds(5);

    enum Aggregate {
        SUM,
        MAX
    }

    record Pick(String group, String name, Aggregate aggregate, String label) {}

    static final List<Pick> PICKS = List.of(
            new Pick("stream-thread-metrics", "process-rate", Aggregate.SUM, "process-rate"),
            new Pick("stream-thread-metrics", "process-total", Aggregate.SUM, "process-total"),
            new Pick("stream-thread-metrics", "commit-latency-avg", Aggregate.MAX, "commit-latency-avg-ms"),
            new Pick("stream-thread-metrics", "commit-rate", Aggregate.SUM, "commit-rate"),
            new Pick("stream-task-metrics", "dropped-records-total", Aggregate.SUM, "dropped-records-total"),
            new Pick(
                    "stream-processor-node-metrics",
                    "record-e2e-latency-avg",
                    Aggregate.MAX,
                    "record-e2e-latency-avg-ms"),
            new Pick(
                    "stream-processor-node-metrics",
                    "record-e2e-latency-max",
                    Aggregate.MAX,
                    "record-e2e-latency-max-ms"),
            new Pick("consumer-fetch-manager-metrics", "records-lag", Aggregate.SUM, "records-lag"),
            new Pick("consumer-fetch-manager-metrics", "records-lag-max", Aggregate.MAX, "records-lag-max"));

    private record Picked(Pick pick, Metric metric) {}

    private final Supplier<Map<MetricName, ? extends Metric>> source;
    private final LongSupplier nanoClock;
    private List<Picked> picked = List.of();
    private long resolvedAt;
    private boolean resolved;

    /**
     * @param source    every metric (e.g. {@code KafkaStreams::metrics})
     * @param nanoClock a nanosecond clock
     */
    StreamsMetricsView(Supplier<Map<MetricName, ? extends Metric>> source, LongSupplier nanoClock) {
        this.source = source;
        this.nanoClock = nanoClock;
    }

    /** @return the picked metrics' current values, aggregated, by label */
    synchronized Map<String, Double> current() {
        long now = nanoClock.getAsLong();
        if (!resolved || now - resolvedAt >= RESOLVE_EVERY.toNanos()) {
            picked = resolve(source.get());
            resolvedAt = now;
            resolved = true;
        }
        return aggregate(picked);
    }

    private static List<Picked> resolve(Map<MetricName, ? extends Metric> metrics) {
        List<Picked> out = new ArrayList<>();
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            for (Pick pick : PICKS) {
                if (pick.group().equals(e.getKey().group())
                        && pick.name().equals(e.getKey().name())) {
                    out.add(new Picked(pick, e.getValue()));
                }
            }
        }
        return List.copyOf(out);
    }

    private static Map<String, Double> aggregate(List<Picked> picked) {
        Map<String, Double> out = new TreeMap<>();
        for (Picked p : picked) {
            if (!(p.metric().metricValue() instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                continue;
            }
            out.merge(
                    p.pick().label(), n.doubleValue(), p.pick().aggregate() == Aggregate.SUM ? Double::sum : Math::max);
        }
        return out;
    }
}

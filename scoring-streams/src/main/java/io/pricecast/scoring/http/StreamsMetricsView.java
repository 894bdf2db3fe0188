package io.pricecast.scoring.http;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The Streams and client metrics the metrics endpoint shows, each aggregated over its tags (threads, tasks,
 * partitions, nodes) by a sum or a maximum.
 */
final class StreamsMetricsView {

    enum Aggregate { SUM, MAX }

    record Pick(String group, String name, Aggregate aggregate, String label) {
    }

    static final List<Pick> PICKS = List.of(
            new Pick("stream-thread-metrics", "process-rate", Aggregate.SUM, "process-rate"),
            new Pick("stream-thread-metrics", "process-total", Aggregate.SUM, "process-total"),
            new Pick("stream-thread-metrics", "commit-latency-avg", Aggregate.MAX, "commit-latency-avg-ms"),
            new Pick("stream-thread-metrics", "commit-rate", Aggregate.SUM, "commit-rate"),
            new Pick("stream-task-metrics", "dropped-records-total", Aggregate.SUM, "dropped-records-total"),
            new Pick("stream-processor-node-metrics", "record-e2e-latency-avg", Aggregate.MAX, "record-e2e-latency-avg-ms"),
            new Pick("stream-processor-node-metrics", "record-e2e-latency-max", Aggregate.MAX, "record-e2e-latency-max-ms"),
            new Pick("consumer-fetch-manager-metrics", "records-lag", Aggregate.SUM, "records-lag"),
            new Pick("consumer-fetch-manager-metrics", "records-lag-max", Aggregate.MAX, "records-lag-max"));

    private StreamsMetricsView() {
    }

    static Map<String, Double> of(Map<MetricName, ? extends Metric> metrics) {
        Map<String, Double> out = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            for (Pick pick : PICKS) {
                if (!pick.group().equals(e.getKey().group()) || !pick.name().equals(e.getKey().name())) {
                    continue;
                }
                if (!(e.getValue().metricValue() instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                    continue;
                }
                double v = n.doubleValue();
                out.merge(pick.label(), v, pick.aggregate() == Aggregate.SUM ? Double::sum : Math::max);
            }
        }
        return out;
    }
}

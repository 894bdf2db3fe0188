package io.pricecast.scoring.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class StreamsMetricsViewTest {

    /** A metric whose value the test sets. */
    private static final class Value implements Metric {
        private final MetricName name;
        private volatile double value;

        Value(String group, String name, String thread, double value) {
            this.name = new MetricName(name, group, "", Map.of("thread-id", thread));
            this.value = value;
        }

        @Override
        public MetricName metricName() {
            return name;
        }

        @Override
        public Object metricValue() {
            return value;
        }
    }

    @Test
    void sumsOrTakesTheMaximumOverTagsAndSkipsWhatIsNotANumber() {
        Map<MetricName, Value> metrics = new HashMap<>();
        for (Value v : new Value[] {
            new Value("stream-thread-metrics", "process-total", "t1", 10),
            new Value("stream-thread-metrics", "process-total", "t2", 5),
            new Value("stream-thread-metrics", "commit-latency-avg", "t1", 3),
            new Value("stream-thread-metrics", "commit-latency-avg", "t2", 7),
            new Value("consumer-fetch-manager-metrics", "records-lag", "t1", Double.NaN),
            new Value("stream-thread-metrics", "not-picked", "t1", 99)
        }) {
            metrics.put(v.metricName(), v);
        }

        Map<String, Double> shown = new StreamsMetricsView(() -> metrics, () -> 0L).current();

        assertThat(shown)
                .containsExactlyInAnyOrderEntriesOf(Map.of("process-total", 15.0, "commit-latency-avg-ms", 7.0));
    }

    @Test
    void looksTheMetricsUpOncePerIntervalAndReadsTheirValuesEveryTime() {
        Value total = new Value("stream-thread-metrics", "process-total", "t1", 1);
        Map<MetricName, Value> metrics = new HashMap<>(Map.of(total.metricName(), total));
        AtomicInteger lookups = new AtomicInteger();
        AtomicLong now = new AtomicLong();
        StreamsMetricsView view = new StreamsMetricsView(
                () -> {
                    lookups.incrementAndGet();
                    return metrics;
                },
                now::get);

        view.current();
        total.value = 2;
        Value other = new Value("stream-thread-metrics", "process-total", "t2", 40);
        metrics.put(other.metricName(), other);

        assertThat(view.current()).containsEntry("process-total", 2.0);
        assertThat(lookups).hasValue(1);

        now.addAndGet(StreamsMetricsView.RESOLVE_EVERY.toNanos());
        assertThat(view.current()).containsEntry("process-total", 42.0);
        assertThat(lookups).hasValue(2);
    }
}

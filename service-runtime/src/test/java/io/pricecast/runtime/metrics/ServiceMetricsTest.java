package io.pricecast.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry every service serves: Prometheus text with the service tag, and the parser the tests read it with. */
class ServiceMetricsTest {

    @Test
    void aScrapeIsPrometheusTextWithTheServiceTagOnEveryMeterAndTheJvmsMeters() {
        try (ServiceMetrics metrics = ServiceMetrics.forService("ingest")) {
            Counter.builder("pricecast.uploads")
                    .tag("outcome", "published")
                    .register(metrics.registry())
                    .increment(3);
            PrometheusText text = PrometheusText.parse(metrics.scrape());
            assertThat(text.sum("pricecast_uploads_total", "outcome", "published", "service", "ingest"))
                    .isEqualTo(3);
            assertThat(text.has("jvm_memory_used_bytes")).isTrue();
            assertThat(text.has("process_uptime_seconds")).isTrue();
            assertThat(text.samples())
                    .as("every sample names its service")
                    .allSatisfy(s -> assertThat(s.labels()).containsEntry("service", "ingest"));
        }
    }

    @Test
    void aScrapeNarrowedToSampleNamesHoldsOnlyThose() {
        try (ServiceMetrics metrics = ServiceMetrics.forService("sink")) {
            Counter.builder("pricecast.sink.rows.written")
                    .tag("table", "predictions_by_series")
                    .register(metrics.registry())
                    .increment(5);
            Counter.builder("pricecast.sink.dead.letters").register(metrics.registry());
            PrometheusText text =
                    PrometheusText.parse(metrics.scrape(java.util.Set.of("pricecast_sink_rows_written_total")));
            assertThat(text.samples())
                    .extracting(PrometheusText.Sample::name)
                    .containsOnly("pricecast_sink_rows_written_total");
            assertThat(text.sum("pricecast_sink_rows_written_total")).isEqualTo(5);
        }
    }

    @Test
    void activeModelKeepsOneSeriesTheCurrentVersions() {
        try (ServiceMetrics metrics = ServiceMetrics.forService("scoring")) {
            ActiveModelMeter active = new ActiveModelMeter(metrics.registry());
            active.set("v1");
            active.set("v2");
            assertThat(PrometheusText.parse(metrics.scrape()).sumBy("pricecast_model_active", "model_version"))
                    .isEqualTo(Map.of("v2", 1.0));
            assertThat(active.version()).isEqualTo("v2");
        }
    }

    @Test
    void theParserReadsLabelsWithEscapesSpecialValuesAndSumsByLabel() {
        PrometheusText text = PrometheusText.parse("""
                # HELP x_total things
                # TYPE x_total counter
                x_total{a="1",b="say \\"hi\\"\\n"} 2.0
                x_total{a="2",b="c"} 3
                up 1 1700000000000
                h_bucket{le="+Inf"} +Inf
                """);
        assertThat(text.sum("x_total")).isEqualTo(5);
        assertThat(text.sum("x_total", "b", "say \"hi\"\n")).isEqualTo(2);
        assertThat(text.sumBy("x_total", "a")).isEqualTo(Map.of("1", 2.0, "2", 3.0));
        assertThat(text.sum("up")).isEqualTo(1);
        assertThat(text.sum("h_bucket", "le", "+Inf")).isInfinite();
        assertThat(text.sum("missing")).isZero();
        assertThatThrownBy(() -> PrometheusText.parse("x_total{a=1} 2"))
                .hasMessageContaining("line 1")
                .hasMessageContaining("x_total{a=1} 2");
    }
}

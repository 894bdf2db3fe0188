package io.pricecast.scoring.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.runtime.http.HttpGuard;
import io.pricecast.runtime.metrics.PrometheusText;
import io.pricecast.runtime.metrics.ServiceMetrics;
import io.pricecast.scoring.metrics.ScoringMeters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scorer's HTTP face with a read token: {@code /metrics} needs it, {@code /health} stays open, errors are clean JSON. */
class ScoringHttpSecurityTest {

    private static final String TOKEN = "scoring-read-s3cret";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void metricsNeedTheReadTokenAndHealthStaysOpen(@TempDir Path state) throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("never-read");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "scoring-http-security");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        try (ServiceMetrics metrics = ServiceMetrics.forService("scoring");
                KafkaStreams streams = new KafkaStreams(builder.build(), p);
                ScoringHttp http = new ScoringHttp(
                                streams,
                                () -> true,
                                metrics,
                                HttpGuard.fromEnvironment(Map.of(HttpGuard.READ_TOKEN, TOKEN)))
                        .start(0)) {
            new ScoringMeters(metrics.registry()).predicted(3);
            String base = "http://127.0.0.1:" + http.port();
            assertThat(get(base + "/health", null).statusCode()).isEqualTo(200);
            assertThat(get(base + "/health/ready", null).statusCode()).isEqualTo(200);
            assertThat(get(base + "/openapi.json", null).statusCode()).isEqualTo(200);
            assertThat(http.openApi().routes()).isEqualTo(http.openApi().documented());
            HttpResponse<String> live = get(base + "/health/live", null);
            assertThat(live.statusCode())
                    .as("a Streams application that has not failed is live")
                    .isEqualTo(200);
            HttpResponse<String> refused = get(base + "/metrics", null);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).contains("unauthorized").doesNotContain(TOKEN);
            assertThat(get(base + "/metrics", "wrong").statusCode()).isEqualTo(401);
            HttpResponse<String> scraped = get(base + "/metrics", TOKEN);
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(scraped.headers().firstValue("Content-Type")).hasValue(ServiceMetrics.CONTENT_TYPE);
            PrometheusText text = PrometheusText.parse(scraped.body());
            assertThat(text.sum("pricecast_forecasts_scored_total", "service", "scoring"))
                    .isEqualTo(3);
            assertThat(text.sum("pricecast_records_scored_total", "outcome", "rejected", "reason", "out_of_order"))
                    .as("every scoring rejection reason is a series from the start")
                    .isZero();
            assertThat(text.has("jvm_memory_used_bytes")).isTrue();
            HttpResponse<String> missing = get(base + "/nothing", TOKEN);
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).doesNotContain("Exception", "at io.", "<html");
        }
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

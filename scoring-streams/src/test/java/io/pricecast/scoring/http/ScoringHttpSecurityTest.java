package io.pricecast.scoring.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.runtime.http.HttpGuard;
import io.pricecast.scoring.metrics.ScoringCounters;
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
        try (KafkaStreams streams = new KafkaStreams(builder.build(), p);
                ScoringHttp http = new ScoringHttp(
                                streams,
                                () -> true,
                                new ScoringCounters(),
                                HttpGuard.fromEnvironment(Map.of(HttpGuard.READ_TOKEN, TOKEN)))
                        .start(0)) {
            String base = "http://127.0.0.1:" + http.port();
            assertThat(get(base + "/health", null).statusCode()).isEqualTo(200);
            HttpResponse<String> refused = get(base + "/metrics", null);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).contains("unauthorized").doesNotContain(TOKEN);
            assertThat(get(base + "/metrics", "wrong").statusCode()).isEqualTo(401);
            assertThat(get(base + "/metrics", TOKEN).statusCode()).isEqualTo(200);
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

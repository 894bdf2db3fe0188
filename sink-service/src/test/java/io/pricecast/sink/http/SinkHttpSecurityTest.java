package io.pricecast.sink.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.runtime.http.HttpGuard;
import io.pricecast.runtime.metrics.ServiceMetrics;
import io.pricecast.sink.chart.ChartRoutes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the sink's HTTP API: reads need the read token when one is configured (health excepted), bad
 * parameters and internal failures are JSON errors without exception text, stack traces or secrets.
 */
class SinkHttpSecurityTest {

    private static final String SECRET = "cql-password-s3cret";
    private static final String READ_TOKEN = "reader-token-1";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> READS = List.of(
            "/metrics",
            "/predictions.csv?dataset=live",
            "/predictions/live/BTC/2020-01-02",
            "/predictions/by-id/live%7CBTC%7C2020-01-02%7Cv1",
            "/datasets/live/symbols",
            "/uploads/0123456789abcdef0123456789abcdef",
            "/chart",
            "/chart/chart.js",
            "/chart/api/datasets",
            "/chart/api/symbols?dataset=live",
            "/chart/api/series?dataset=live&symbol=BTC",
            "/accuracy",
            "/accuracy/live/BTC",
            "/webjars/echarts/5.3.1/dist/echarts.min.js");

    private static final SinkBackend.Status HEALTHY = new SinkBackend.Status() {
        @Override
        public String unhealthyReason() {
            return null;
        }

        @Override
        public Optional<String> fatalReason() {
            return Optional.empty();
        }

        @Override
        public Map<String, Object> status() {
            return Map.of("rows", 0);
        }
    };

    @Test
    void aReadTokenGuardsEveryReadEndpointButHealth() throws Exception {
        try (SinkHttp http = new SinkHttp(
                        0,
                        () -> null,
                        HEALTHY,
                        new ChartRoutes(() -> null),
                        ServiceMetrics.forService("sink"),
                        HttpGuard.fromEnvironment(Map.of(HttpGuard.READ_TOKEN, READ_TOKEN)));
                SinkHttp open = new SinkHttp(
                        0,
                        () -> null,
                        HEALTHY,
                        new ChartRoutes(() -> null),
                        ServiceMetrics.forService("sink"),
                        HttpGuard.fromEnvironment(Map.of()))) {
            String base = "http://127.0.0.1:" + http.port();
            String openBase = "http://127.0.0.1:" + open.port();
            assertThat(get(base + "/health", null).statusCode()).isEqualTo(200);
            assertThat(get(base + "/openapi.json", null).statusCode()).isEqualTo(200);
            assertThat(http.openApi().routes())
                    .as("every route is documented, every documented operation is a route")
                    .isEqualTo(http.openApi().documented());
            for (String path : READS) {
                HttpResponse<String> refused = get(base + path, null);
                assertThat(refused.statusCode()).as(path).isEqualTo(401);
                assertThat(refused.body()).as(path).contains("\"error\"").doesNotContain(READ_TOKEN);
                assertThat(get(base + path, "wrong").statusCode())
                        .as(path + " wrong token")
                        .isEqualTo(401);
                // with the token, a request is answered exactly as by a sink without one (200, or 503 for what
                // needs Cassandra, which this one never connects to)
                assertThat(get(base + path, READ_TOKEN).statusCode())
                        .as(path + " with the token")
                        .isEqualTo(get(openBase + path, null).statusCode());
            }
        }
    }

    @Test
    void readsAreOpenByDefault() throws Exception {
        try (SinkHttp http = new SinkHttp(
                0,
                () -> null,
                HEALTHY,
                new ChartRoutes(() -> null),
                ServiceMetrics.forService("sink"),
                HttpGuard.fromEnvironment(Map.of()))) {
            String base = "http://127.0.0.1:" + http.port();
            assertThat(get(base + "/metrics", null).statusCode()).isEqualTo(200);
            assertThat(get(base + "/predictions.csv?dataset=live", null).statusCode())
                    .as("not connected yet")
                    .isEqualTo(503);
        }
    }

    @Test
    void failuresAndBadRequestsAnswerJsonWithoutExceptionTextOrSecrets() throws Exception {
        Supplier<SinkBackend> failing = () -> {
            throw new IllegalStateException("cannot log in to Cassandra with password " + SECRET);
        };
        try (SinkHttp http = new SinkHttp(
                0,
                failing,
                HEALTHY,
                new ChartRoutes(() -> {
                    throw new IllegalStateException("chart backend password " + SECRET);
                }),
                ServiceMetrics.forService("sink"),
                HttpGuard.fromEnvironment(Map.of()))) {
            String base = "http://127.0.0.1:" + http.port();
            for (String path : READS.subList(1, READS.size() - 1)) {
                assertClean(path, get(base + path, null));
            }
            HttpResponse<String> internal = get(base + "/predictions.csv?dataset=live", null);
            assertThat(internal.statusCode()).isEqualTo(500);
            assertThat(internal.body()).contains("the service log has the details under ref");
            assertClean("bad date", get(base + "/predictions/live/BTC/not-a-date", null));
            assertClean("missing dataset", get(base + "/predictions.csv", null));
            assertClean("unknown path", get(base + "/nothing/here", null));
            HttpResponse<String> post = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/predictions.csv"))
                            .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode())
                    .as("a body over the limit is refused before routing")
                    .isEqualTo(413);
            assertClean("post", post);
            HttpResponse<String> smallPost = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/predictions.csv"))
                            .POST(HttpRequest.BodyPublishers.ofString("x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(smallPost.statusCode()).as("no state-changing endpoint").isEqualTo(404);
            assertClean("small post", smallPost);
            HttpResponse<String> delete = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/datasets/live/symbols"))
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(delete.statusCode())
                    .as("nothing can be deleted over HTTP")
                    .isEqualTo(404);
            assertClean("delete", delete);
        }
    }

    private static void assertClean(String what, HttpResponse<String> response) {
        if (response.statusCode() >= 400) {
            assertThat(response.headers().firstValue("Content-Type").orElse(""))
                    .as(what)
                    .contains("json");
            assertThat(response.body()).as(what).doesNotContain("<html");
        }
        assertThat(response.body())
                .as(what + ": " + response.body())
                .doesNotContain("Exception", "at io.", "at org.", "at java.", SECRET, "password");
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

package io.pricecast.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pricecast.avro.ModelEvent;
import io.pricecast.model.bundle.BundleMetadata;
import io.pricecast.model.bundle.KerasImport;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.scaler.ScalerSet;
import io.pricecast.model.scaler.SymbolScaler;
import io.pricecast.runtime.metrics.PrometheusText;
import io.pricecast.runtime.metrics.ServiceMetrics;
import io.pricecast.testing.Readiness;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.StackEndpoints;
import io.pricecast.trainer.registry.ModelRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The predict service in-process on a real broker and registry: it follows its own models topic, answers with the
 * active model and swaps to a promoted or rolled-back version without a restart, answers every error with its
 * documented status and code (never a stack trace), and judges the bad-input corpus as ingest does.
 */
@ExtendWith(RealStack.class)
class PredictServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path CORPUS = Path.of("..", "ingest-service", "src", "test", "resources", "bad-input");
    private static final String SHORT_HEADER = "symbol,date,open,high,low,close,volume,market\n";
    private static final int MAX_CSV_MB = 1;

    @TempDir
    static Path state;

    private static StackEndpoints stack;
    private static String modelsTopic;
    private static PredictService service;
    private static String base;

    @BeforeAll
    static void start(StackEndpoints endpoints) {
        stack = endpoints;
        modelsTopic = stack.createTopic(
                "models",
                1,
                Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                        "16842752"));
        service = PredictService.start(env(modelsTopic, state.resolve("one")), 0);
        base = "http://127.0.0.1:" + service.port();
        Readiness.await200(base + "/health", TIMEOUT);
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    private static Map<String, String> env(String topic, Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("PRICECAST_KAFKA_BOOTSTRAP", stack.kafkaBootstrap());
        env.put("PRICECAST_REGISTRY_URL", stack.registryUrl());
        env.put("PRICECAST_MODELS_TOPIC", topic);
        env.put("PRICECAST_STATE_DIR", dir.toString());
        env.put("PRICECAST_PREDICT_PORT", "0");
        env.put(PredictService.MAX_CSV_MB, Integer.toString(MAX_CSV_MB));
        return env;
    }

    @Test
    void answersWithTheDefaultModelAndItsLineageAndIgnoresOlderDays() throws Exception {
        HttpResponse<String> six = predict(window("BTC", 6), "");
        HttpResponse<String> forty = predict(window("BTC", 40), "");

        assertThat(six.statusCode()).as(six.body()).isEqualTo(200);
        JsonNode a = JSON.readTree(six.body());
        JsonNode b = JSON.readTree(forty.body());
        assertThat(a.path("model_version").asText()).isEqualTo(KerasImport.FIRST_VERSION_ID);
        assertThat(a.path("model_sha256").asText())
                .isEqualTo(KerasImport.firstBundle().contentSha256());
        assertThat(a.path("scaler_sha256").asText())
                .isEqualTo(KerasImport.firstBundle().scalersSha256());
        assertThat(a.path("feature_spec").asText())
                .isEqualTo(KerasImport.firstBundle().featureSpecVersion());
        assertThat(a.path("code_version").asText()).isNotBlank();
        assertThat(a.path("base_date").asText()).isEqualTo("2020-01-06");
        assertThat(a.path("target_date").asText()).isEqualTo("2020-01-07");
        assertThat(a.path("base_open").asDouble()).isEqualTo(105.0);
        assertThat(b.path("base_date").asText()).isEqualTo("2020-02-09");
        // the same last six days, with 34 older days before them: the same answer
        HttpResponse<String> shifted = predict(window("BTC", 40, 34), "");
        assertThat(JSON.readTree(shifted.body()).path("pred_open").asDouble())
                .isEqualTo(a.path("pred_open").asDouble());
        assertThat(JSON.readTree(shifted.body()).path("days_given").asInt()).isEqualTo(40);
    }

    @Test
    void aPromotionAndARollbackChangeTheAnsweringVersionWithoutARestart() throws Exception {
        String topic = stack.createTopic(
                "models-swap",
                1,
                Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                        "16842752"));
        ModelBundle shifted = shiftedBundle("swap-test-v2", 10.0);
        try (PredictService swapping = PredictService.start(env(topic, state.resolve("swap")), 0);
                ModelRegistry registry = new ModelRegistry(
                        stack.kafkaBootstrap(),
                        topic,
                        stack.serdes().serde(ModelEvent.class, false),
                        Clock.systemUTC())) {
            String url = "http://127.0.0.1:" + swapping.port();
            Readiness.await200(url + "/health", TIMEOUT);
            JsonNode before = JSON.readTree(
                    send(url, "/predict", "application/json", window("BTC", 6)).body());
            assertThat(before.path("model_version").asText()).isEqualTo(KerasImport.FIRST_VERSION_ID);

            registry.publish(shifted, "test", "a version whose BTC open mean is 10 higher");
            JsonNode named = await().atMost(TIMEOUT)
                    .until(
                            () -> JSON.readTree(
                                    send(url, "/predict?model=swap-test-v2", "application/json", window("BTC", 6))
                                            .body()),
                            n -> n.path("model_version").asText().equals("swap-test-v2"));
            assertThat(named.path("model_sha256").asText()).isEqualTo(shifted.contentSha256());
            assertThat(named.path("pred_open").asDouble())
                    .as("computed with the named version's scalers")
                    .isEqualTo(offline(shifted, window("BTC", 6)))
                    .isNotEqualTo(before.path("pred_open").asDouble());
            assertThat(before.path("pred_open").asDouble())
                    .isEqualTo(offline(KerasImport.firstBundle(), window("BTC", 6)));
            assertThat(JSON.readTree(send(url, "/predict", "application/json", window("BTC", 6))
                                    .body())
                            .path("model_version")
                            .asText())
                    .as("published, not yet active")
                    .isEqualTo(KerasImport.FIRST_VERSION_ID);

            registry.promote("swap-test-v2", "test", "hot swap");
            await().atMost(TIMEOUT)
                    .until(() -> JSON.readTree(send(url, "/predict", "application/json", window("BTC", 6))
                                    .body())
                            .path("model_version")
                            .asText()
                            .equals("swap-test-v2"));
            PrometheusText scraped =
                    PrometheusText.parse(send(url, "/metrics", null, null).body());
            assertThat(scraped.sumBy("pricecast_model_active", "model_version"))
                    .as("one series, the active version's")
                    .isEqualTo(Map.of("swap-test-v2", 1.0));

            registry.rollback(Optional.empty(), "test", "hot swap back");
            await().atMost(TIMEOUT)
                    .until(() -> JSON.readTree(send(url, "/predict", "application/json", window("BTC", 6))
                                    .body())
                            .path("model_version")
                            .asText()
                            .equals(KerasImport.FIRST_VERSION_ID));
            JsonNode after = JSON.readTree(
                    send(url, "/predict", "application/json", window("BTC", 6)).body());
            assertThat(after.path("pred_open").asDouble())
                    .isEqualTo(before.path("pred_open").asDouble());
        }
    }

    @Test
    void beforeTheModelsTopicIsReadEveryRouteAnswers503() throws Exception {
        Map<String, String> env = env("no-such-models-topic-" + System.nanoTime(), state.resolve("unready"));
        try (PredictService unready = PredictService.start(env, 0)) {
            String url = "http://127.0.0.1:" + unready.port();
            HttpResponse<String> health = send(url, "/health", null, null);
            HttpResponse<String> predict = send(url, "/predict", "application/json", window("BTC", 6));
            HttpResponse<String> csv =
                    send(url, "/predict.csv", "text/csv", SHORT_HEADER + "BTC,2020-01-01,1,2,1,1,0,0\n");

            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(predict.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(predict.body()).path("error").asText()).isEqualTo("no_model");
            assertThat(predict.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(csv.statusCode()).isEqualTo(503);
        }
    }

    @Test
    void invalidWindowsAre400WithIngestsReasonCodesNamingTheDayAndField() throws Exception {
        ObjectNode badNumber = (ObjectNode) JSON.readTree(window("BTC", 6));
        ((ObjectNode) badNumber.withArray("prices").get(2)).put("open", "abc");
        HttpResponse<String> r = predict(badNumber.toString(), "");
        JsonNode body = JSON.readTree(r.body());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(body.path("error").asText()).isEqualTo("bad_number");
        assertThat(body.path("rejections").get(0).path("field").asText()).isEqualTo("open");
        assertThat(body.path("rejections").get(0).path("message").asText())
                .contains("prices[2]")
                .contains("abc");

        ObjectNode highBelowLow = (ObjectNode) JSON.readTree(window("BTC", 6));
        ((ObjectNode) highBelowLow.withArray("prices").get(4)).put("high", 1.0);
        assertThat(error(predict(highBelowLow.toString(), ""))).isEqualTo("400 high_below_low");

        HttpResponse<String> tooFew = predict(window("BTC", 5), "");
        assertThat(error(tooFew)).isEqualTo("400 too_few_days");
        assertThat(JSON.readTree(tooFew.body()).path("message").asText())
                .contains("5 days given")
                .contains("at least 6");

        ObjectNode reversed = (ObjectNode) JSON.readTree(window("BTC", 6));
        ArrayNode days = reversed.withArray("prices");
        JsonNode first = days.remove(0);
        days.add(first);
        assertThat(error(predict(reversed.toString(), ""))).isEqualTo("400 out_of_order");

        assertThat(error(predict("{\"symbol\": \"BTC\", \"prices\": [", ""))).isEqualTo("400 bad_json");
        assertThat(error(predict("{\"prices\": []}", ""))).isEqualTo("400 missing_field");
        assertThat(error(predict("[1, 2]", ""))).isEqualTo("400 bad_json");
    }

    @Test
    void unknownSymbolsAndVersionsAre404AndWrongContentTypes415() throws Exception {
        HttpResponse<String> symbol = predict(window("NOPE", 6), "");
        assertThat(error(symbol)).isEqualTo("404 unknown_symbol");
        assertThat(JSON.readTree(symbol.body()).path("message").asText())
                .contains("NOPE")
                .contains("BTC");
        HttpResponse<String> version = predict(window("BTC", 6), "?model=no-such-version");
        assertThat(error(version)).isEqualTo("404 unknown_model");
        assertThat(JSON.readTree(version.body()).path("message").asText()).contains(KerasImport.FIRST_VERSION_ID);

        assertThat(error(send(base, "/predict", "application/x-www-form-urlencoded", window("BTC", 6))))
                .isEqualTo("415 unsupported_media_type");
        assertThat(error(send(base, "/predict", "text/csv", window("BTC", 6)))).isEqualTo("415 unsupported_media_type");
        assertThat(error(send(base, "/predict.csv", "application/json", "{}"))).isEqualTo("415 unsupported_media_type");
        assertThat(error(send(base, "/predict.csv", "text/csv", csv("NOPE", 3))))
                .isEqualTo("404 unknown_symbol");
        assertThat(error(send(base, "/nowhere", null, null))).isEqualTo("404 not_found");
    }

    @Test
    void bodiesOverTheLimitAre413WhetherDeclaredOrStreamed() throws Exception {
        String big = "{\"symbol\": \"BTC\", \"pad\": \"" + "x".repeat(70 * 1024) + "\", \"prices\": []}";
        assertThat(error(predict(big, ""))).isEqualTo("413 too_large");

        byte[] overLimit = (SHORT_HEADER + "BTC,2020-01-01,1,2,1,1,0,0\n".repeat(MAX_CSV_MB * 1024 * 1024 / 20))
                .getBytes(StandardCharsets.UTF_8);
        assertThat(overLimit.length).isGreaterThan(MAX_CSV_MB << 20);
        HttpResponse<String> declared = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/predict.csv"))
                        .header("Content-Type", "text/csv")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(overLimit))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(error(declared)).isEqualTo("413 too_large");
        // no Content-Length (chunked): refused once the limit is passed while reading
        HttpResponse<String> streamed = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/predict.csv"))
                        .header("Content-Type", "text/csv")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(overLimit)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(error(streamed)).isEqualTo("413 too_large");
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aCsvAnswersThePredictionsCsvWithCountsAndRefusesInvalidRowsUnlessAskedToSkip() throws Exception {
        String file = csv("BTC", 8) + "BTC,2020-02-01,abc,2,1,1,0,0\n";
        HttpResponse<String> strict = send(base, "/predict.csv", "text/csv", file);
        assertThat(error(strict)).isEqualTo("400 invalid_records");
        JsonNode body = JSON.readTree(strict.body());
        assertThat(body.path("rejected").asLong()).isEqualTo(1);
        assertThat(body.path("by_reason").path("bad_number").asLong()).isEqualTo(1);
        assertThat(body.path("rejections").get(0).path("line").asLong()).isEqualTo(10);

        HttpResponse<String> skipped = send(base, "/predict.csv?on_invalid=skip", "text/plain", file);
        assertThat(skipped.statusCode()).isEqualTo(200);
        assertThat(skipped.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(skipped.headers().firstValue("X-Pricecast-Records")).hasValue("9");
        assertThat(skipped.headers().firstValue("X-Pricecast-Rejected")).hasValue("1");
        assertThat(skipped.headers().firstValue("X-Pricecast-Forecasts")).hasValue("8");
        List<String> lines = skipped.body().lines().toList();
        assertThat(lines).hasSize(9);
        assertThat(lines.get(0)).isEqualTo("symbol,index,date,pred_open,val_open");
        assertThat(lines.get(1)).startsWith("BTC,0,2020-01-02,").endsWith(",101.0");
        assertThat(lines.get(8)).startsWith("BTC,7,2020-01-09,").endsWith(",");
    }

    @Test
    void theBadInputCorpusEndsAsIngestJudgesEachFile() throws Exception {
        JsonNode manifest = JSON.readTree(CORPUS.resolve("manifest.json").toFile());
        int checked = 0;
        int files = 0;
        for (JsonNode c : manifest.path("cases")) {
            if (!c.has("file")) {
                continue;
            }
            files++;
            JsonNode upload = c.path("upload");
            byte[] file = Files.readAllBytes(CORPUS.resolve(c.path("file").asText()));
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/predict.csv?on_invalid=skip"))
                            .header("Content-Type", "text/csv")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(file))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String name = c.path("file").asText();
            assertThat(r.body()).as(name).doesNotContain("Exception").doesNotContain("\tat ");
            if (upload.path("status").asText().equals("failed")) {
                assertThat(r.statusCode()).as(name).isEqualTo(400);
                assertThat(JSON.readTree(r.body()).path("message").asText())
                        .as(name)
                        .containsIgnoringCase(upload.path("error_contains").asText());
            } else {
                JsonNode byScoring = c.path("upload").path("judged_by_scoring");
                long rejected = sum(upload.path("rejected")) - sum(byScoring.path("rejected"));
                long duplicates = upload.path("duplicates").asLong()
                        - byScoring.path("duplicates").asLong();
                assertThat(r.statusCode()).as(name + ": " + r.body()).isEqualTo(200);
                assertThat(r.headers().firstValue("X-Pricecast-Records"))
                        .as(name)
                        .hasValue(upload.path("total").asText());
                assertThat(r.headers().firstValue("X-Pricecast-Rejected"))
                        .as(name)
                        .hasValue(Long.toString(rejected));
                assertThat(r.headers().firstValue("X-Pricecast-Duplicates"))
                        .as(name)
                        .hasValue(Long.toString(duplicates));
                HttpResponse<String> strict = HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + "/predict.csv"))
                                .header("Content-Type", "text/csv")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(file))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (rejected > 0) {
                    assertThat(error(strict)).as(name).isEqualTo("400 invalid_records");
                    JsonNode reasons = JSON.readTree(strict.body()).path("by_reason");
                    upload.path("rejected").fields().forEachRemaining(e -> {
                        long expected = e.getValue().asLong()
                                - byScoring.path("rejected").path(e.getKey()).asLong();
                        assertThat(reasons.path(e.getKey()).asLong())
                                .as(name + " " + e.getKey())
                                .isEqualTo(expected);
                    });
                }
            }
            checked++;
        }
        assertThat(checked).isEqualTo(files).isGreaterThanOrEqualTo(20);
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void theOpenApiDocumentDescribesExactlyTheRoutes() throws Exception {
        HttpResponse<String> doc = get("/openapi.json");
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(doc.body()).path("openapi").asText()).startsWith("3.");
        assertThat(service.openApi().routes())
                .as("every route is documented, every documented operation is a route")
                .isEqualTo(service.openApi().documented());
    }

    @Test
    void metricsCountRequestsByOutcomeWithALatencyHistogram() throws Exception {
        predict(window("BTC", 6), "");
        predict(window("NOPE", 6), "");
        HttpResponse<String> scrape = get("/metrics");
        assertThat(scrape.headers().firstValue("Content-Type")).hasValue(ServiceMetrics.CONTENT_TYPE);
        PrometheusText metrics = PrometheusText.parse(scrape.body());
        String requests = "pricecast_http_server_requests_seconds";
        assertThat(metrics.sum(requests + "_count", "route", "/predict", "status", "200", "service", "predict"))
                .isPositive();
        assertThat(metrics.sum(requests + "_count", "route", "/predict", "status", "404"))
                .isPositive();
        double count = metrics.sum(requests + "_count", "route", "/predict");
        assertThat(count).isGreaterThanOrEqualTo(2);
        assertThat(metrics.sum(requests + "_bucket", "route", "/predict", "le", "+Inf"))
                .as("the histogram's last bucket holds every request")
                .isEqualTo(count);
    }

    // --- helpers ---

    /** A JSON window of {@code days} days of {@code symbol} from 2020-01-01, opens 100, 101, ... */
    private static String window(String symbol, int days) {
        return window(symbol, days, 0);
    }

    /** The same days as {@code window(symbol, days - older)}, after {@code older} unrelated older days. */
    private static String window(String symbol, int days, int older) {
        ObjectNode root = JSON.createObjectNode().put("symbol", symbol);
        ArrayNode prices = root.putArray("prices");
        for (int i = 0; i < days; i++) {
            boolean isOlder = i < older;
            int k = isOlder ? i : i - older;
            LocalDate date = isOlder
                    ? LocalDate.of(2019, 1, 1).plusDays(i)
                    : LocalDate.of(2020, 1, 1).plusDays(k);
            double open = isOlder ? 50 + (i * 7 % 13) : 100 + k;
            prices.addObject()
                    .put("date", date.toString())
                    .put("open", open)
                    .put("high", open * 1.05)
                    .put("low", open * 0.95)
                    .put("close", open + 0.5)
                    .put("volume", 1_000_000.0 + k)
                    .put("market", 1.0e9 + k);
        }
        return root.toString();
    }

    /** A short-layout CSV of {@code days} days of {@code symbol} from 2020-01-01, opens 100, 101, ... */
    private static String csv(String symbol, int days) {
        StringBuilder b = new StringBuilder(SHORT_HEADER);
        for (int i = 0; i < days; i++) {
            double open = 100 + i;
            b.append(symbol)
                    .append(',')
                    .append(LocalDate.of(2020, 1, 1).plusDays(i))
                    .append(',')
                    .append(open)
                    .append(',')
                    .append(open * 1.05)
                    .append(',')
                    .append(open * 0.95)
                    .append(',')
                    .append(open + 0.5)
                    .append(",1000000,1000000000\n");
        }
        return b.toString();
    }

    private static ModelBundle shiftedBundle(String version, double openMeanShift) throws IOException {
        ModelBundle first = KerasImport.firstBundle();
        ScalerSet scalers = first.scalers();
        ScalerSet.Builder builder = ScalerSet.builder(scalers.columns());
        for (String symbol : scalers.symbols()) {
            SymbolScaler s = scalers.forSymbol(symbol).orElseThrow();
            double[] means = new double[scalers.columns().size()];
            double[] scales = new double[means.length];
            for (int c = 0; c < means.length; c++) {
                means[c] = s.mean(c);
                scales[c] = s.scale(c);
            }
            if (symbol.equals("BTC")) {
                means[io.pricecast.model.features.FeatureSpec.TARGET_INDEX] += openMeanShift;
            }
            builder.put(symbol, means, scales);
        }
        return ModelBundle.of(
                new BundleMetadata(version, Instant.parse("2026-12-01T00:00:00Z"), "test: shifted scaler", "none"),
                first.weights(),
                builder.build(),
                first.hypers());
    }

    /** The forecast the model library computes offline for a JSON window (plain Java forward pass). */
    private static double offline(ModelBundle bundle, String windowJson) throws Exception {
        WindowRequest request = WindowRequest.parse(windowJson);
        io.pricecast.model.scaler.SymbolScaler scaler =
                bundle.scalers().forSymbol(request.symbol()).orElseThrow();
        io.pricecast.model.features.SeriesState state = io.pricecast.model.features.SeriesState.empty();
        for (int i = 0; i < request.days().size() - 1; i++) {
            state = state.next(request.days().get(i), scaler).state();
        }
        return new io.pricecast.model.forecast.Forecaster(
                        bundle, new io.pricecast.model.network.PlainJavaBiGru(bundle.weights()))
                .next(request.symbol(), state, request.base())
                .orElseThrow()
                .forecast()
                .predictedOpen();
    }

    private static long sum(JsonNode counts) {
        long total = 0;
        for (JsonNode n : counts) {
            total += n.asLong();
        }
        return total;
    }

    private static String error(HttpResponse<String> r) throws IOException {
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        return r.statusCode() + " " + JSON.readTree(r.body()).path("error").asText();
    }

    private static HttpResponse<String> predict(String body, String query) throws Exception {
        return send(base, "/predict" + query, "application/json", body);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send(base, path, null, null);
    }

    static HttpResponse<String> send(String url, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30));
        if (body == null) {
            b.GET();
        } else {
            b.POST(HttpRequest.BodyPublishers.ofString(body));
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

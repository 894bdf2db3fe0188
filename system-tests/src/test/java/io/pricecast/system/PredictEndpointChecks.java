package io.pricecast.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pricecast.stack.LocalStack;
import io.pricecast.stack.PortAllocator;
import io.pricecast.stack.StackConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The predict service on the running system, against what the stream made of the sample: a {@code /predict} answer
 * equals the streamed forecast of the same window bit for bit (the README's own request), {@code /predict.csv} of
 * the sample equals its pred URL byte for byte, and a {@code kill -9} of one of two replicas under load answers no
 * request wrongly. The stack's scoring runs the plain-Java forward pass ({@code PRICECAST_SCORING_ENGINE=java}, set
 * for this module's tests), as the predict service does by default (docs/predict-service.md, "Engines").
 *
 * <p>Runs inside {@link SystemEndToEndTest} (as a nested class) to share its stack and sample.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PredictEndpointChecks {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Duration LOAD = Duration.ofSeconds(6);

    abstract LocalStack stack();

    abstract String dataset();

    abstract String predUrl();

    private StackConfig config() {
        return stack().config();
    }

    private String predictUrl() {
        return "http://127.0.0.1:" + config().predictPort();
    }

    @Test
    void theReadmeRequestEqualsTheStreamedForecastOfItsWindowBitForBit() throws Exception {
        String readme = Files.readString(REPO.resolve("README.md"));
        int start = readme.indexOf("8086/predict -d '") + "8086/predict -d '".length();
        String request = readme.substring(start, readme.indexOf("'", start));
        JsonNode answer = json(post(predictUrl() + "/predict", "application/json", request), 200);
        assertThat(answer.path("base_date").asText()).isEqualTo("2013-08-09");

        JsonNode streamed = awaitForecast("BTC", answer.path("target_date").asText());
        assertThat(answer.path("pred_open").asDouble())
                .isEqualTo(streamed.path("pred_open").asDouble());
        assertThat(answer.path("model_version").asText())
                .isEqualTo(streamed.path("model").path("version").asText());
        assertThat(answer.path("model_sha256").asText())
                .isEqualTo(streamed.path("model").path("sha256").asText());
    }

    @Test
    void windowsOfEverySymbolAndSeveralDaysEqualTheirStreamedForecasts() throws Exception {
        Map<String, List<String[]>> rows = sampleRows();
        for (String symbol : List.of("BTC", "LTC", "XRP")) {
            List<String[]> days = rows.get(symbol);
            for (int base : new int[] {5, 40, days.size() - 1}) {
                ObjectNode body = JSON.createObjectNode().put("symbol", symbol);
                ArrayNode prices = body.putArray("prices");
                for (String[] r : days.subList(base - 5, base + 1)) {
                    prices.addObject()
                            .put("date", r[4])
                            .put("open", r[6])
                            .put("high", r[7])
                            .put("low", r[8])
                            .put("close", r[9])
                            .put("volume", r[10])
                            .put("market", r[11]);
                }
                JsonNode answer = json(post(predictUrl() + "/predict", "application/json", body.toString()), 200);
                JsonNode streamed =
                        awaitForecast(symbol, answer.path("target_date").asText());
                assertThat(answer.path("pred_open").asDouble())
                        .as("%s on %s", symbol, days.get(base)[4])
                        .isEqualTo(streamed.path("pred_open").asDouble());
            }
        }
    }

    @Test
    void predictCsvOfTheSampleIsItsPredUrlByteForByte() throws Exception {
        HttpResponse<String> csv = post(
                predictUrl() + "/predict.csv",
                "text/csv",
                Files.readString(REPO.resolve("examples/crypto_sample.csv")));
        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
        HttpResponse<String> pred =
                HTTP.send(HttpRequest.newBuilder(URI.create(predUrl())).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(csv.headers().firstValue("X-Pricecast-Forecasts")).hasValue("1095");
        assertThat(csv.body()).isEqualTo(pred.body());
    }

    @Test
    void killingOneOfTwoReplicasUnderLoadAnswersNoRequestWrongly() throws Exception {
        int port = new PortAllocator().next();
        stack().addServiceInstance("predict", "predict-2", port, Map.of());
        stack().start("predict-2");
        List<String> replicas = List.of(predictUrl(), "http://127.0.0.1:" + port);
        String request = window("BTC", 6);
        double expected = json(post(replicas.get(0) + "/predict", "application/json", request), 200)
                .path("pred_open")
                .asDouble();
        assertThat(json(post(replicas.get(1) + "/predict", "application/json", request), 200)
                        .path("pred_open")
                        .asDouble())
                .isEqualTo(expected);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger failedOver = new AtomicInteger();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> load = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            load.add(clients.submit(() -> {
                for (int i = 0; running.get(); i++) {
                    int first = (client + i) % 2;
                    String outcome = ask(replicas.get(first), request, expected);
                    if (outcome == null) {
                        failedOver.incrementAndGet();
                        outcome = ask(replicas.get(1 - first), request, expected);
                    }
                    if ("ok".equals(outcome)) {
                        answered.incrementAndGet();
                    } else {
                        wrong.add(outcome == null ? "no replica answered" : outcome);
                    }
                }
                return null;
            }));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> answered.get() >= 50);
        List<Long> killed = stack().kill("predict-2");
        int atKill = answered.get();
        await().atMost(Duration.ofSeconds(60)).pollDelay(LOAD).until(() -> answered.get() >= atKill + 50);
        running.set(false);
        for (Future<?> f : load) {
            f.get(30, TimeUnit.SECONDS);
        }
        clients.shutdown();

        assertThat(killed).isNotEmpty();
        assertThat(wrong).as("requests answered wrongly or not at all").isEmpty();
        assertThat(failedOver.get())
                .as("requests the killed replica did not answer, answered by the other")
                .isPositive();
        assertThat(answered.get()).isGreaterThan(atKill);
    }

    /** @return "ok", a description of a wrong answer, or null when the replica could not be reached */
    private static String ask(String replica, String request, double expected) {
        HttpResponse<String> r;
        try {
            r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(replica + "/predict"))
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(request))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        try {
            if (r.statusCode() == 200
                    && JSON.readTree(r.body()).path("pred_open").asDouble() == expected) {
                return "ok";
            }
        } catch (IOException e) {
            return replica + ": unreadable answer " + r.body();
        }
        return replica + ": " + r.statusCode() + " " + r.body();
    }

    private JsonNode awaitForecast(String symbol, String targetDate) {
        String url = "http://127.0.0.1:" + config().sinkPort() + "/predictions/" + dataset() + "/" + symbol + "/"
                + targetDate;
        return await().atMost(Duration.ofSeconds(120))
                .until(
                        () -> {
                            HttpResponse<String> r = HTTP.send(
                                    HttpRequest.newBuilder(URI.create(url)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
                        },
                        n -> n != null);
    }

    private static Map<String, List<String[]>> sampleRows() throws IOException {
        Map<String, List<String[]>> rows = new java.util.HashMap<>();
        List<String> lines = Files.readAllLines(REPO.resolve("examples/crypto_sample.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            rows.computeIfAbsent(f[0], s -> new ArrayList<>()).add(f);
        }
        return rows;
    }

    private static String window(String symbol, int days) {
        ObjectNode root = JSON.createObjectNode().put("symbol", symbol);
        ArrayNode prices = root.putArray("prices");
        for (int i = 0; i < days; i++) {
            double open = 100 + i;
            prices.addObject()
                    .put("date", LocalDate.of(2020, 1, 1).plusDays(i).toString())
                    .put("open", open)
                    .put("high", open + 2)
                    .put("low", open - 2)
                    .put("close", open + 1)
                    .put("volume", 1000)
                    .put("market", 1e9);
        }
        return root.toString();
    }

    private static HttpResponse<String> post(String url, String type, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", type)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r, int status) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }
}

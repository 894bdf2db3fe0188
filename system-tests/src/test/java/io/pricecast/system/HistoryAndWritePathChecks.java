package io.pricecast.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.model.bundle.KerasImport;
import io.pricecast.runtime.CqlSessions;
import io.pricecast.runtime.metrics.PrometheusText;
import io.pricecast.schemas.Topics;
import io.pricecast.stack.StackConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The history rules and the write path on the running system (ingest, scoring and sink as child processes, real
 * Kafka and Cassandra): the cases of ingest's bad-input corpus that scoring judges end in their documented outcome,
 * an upload's status shows its verdicts once scoring has judged every record, console and upload records of one
 * series are judged against one history, and a daily close of 1,000 series reads nothing from Cassandra (counted by
 * Cassandra itself, in its {@code system_views} read metrics).
 *
 * <p>Runs inside {@link SystemEndToEndTest} (as a nested class) to share its stack.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HistoryAndWritePathChecks {

    private static final Duration WITHIN = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SHORT_HEADER = "symbol,date,open,high,low,close,volume,market\n";
    private static final Path CORPUS = Path.of("..", "ingest-service", "src", "test", "resources", "bad-input");

    abstract StackConfig config();

    private CqlSession session;
    private KafkaProducer<String, String> console;
    /** The symbols the first model knows: every series of the daily close gets a forecast. */
    private List<String> known;

    @BeforeAll
    void connect() throws IOException {
        known = KerasImport.firstBundle().scalers().symbols();
        session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", config().cassandraPort()))
                .withLocalDatacenter("datacenter1")
                .withConfigLoader(CqlSessions.driverConfig())
                .build();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config().kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        console = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    void disconnect() {
        if (console != null) {
            console.close();
        }
        if (session != null) {
            session.close();
        }
    }

    @Test
    void corpusCasesJudgedByScoringEndInTheirDocumentedOutcomeInTheUploadStatus() throws Exception {
        JsonNode manifest = JSON.readTree(CORPUS.resolve("manifest.json").toFile());
        int judgedCases = 0;
        for (JsonNode c : manifest.path("cases")) {
            if (!c.path("upload").has("judged_by_scoring")) {
                continue;
            }
            judgedCases++;
            String file = c.path("file").asText();
            String dataset = "judged-" + file.replace(".csv", "");
            if (c.has("history")) {
                awaitJudged(upload(dataset, SHORT_HEADER + c.path("history").asText() + "\n"));
            }
            JsonNode status = awaitJudged(upload(dataset, Files.readString(CORPUS.resolve(file))));
            JsonNode expected = c.path("upload");
            JsonNode counts = status.path("counts");
            assertThat(counts.path("total").asLong())
                    .as(file)
                    .isEqualTo(expected.path("total").asLong());
            assertThat(counts.path("accepted").asLong())
                    .as(file + " accepted")
                    .isEqualTo(expected.path("accepted").asLong());
            assertThat(counts.path("duplicates").asLong())
                    .as(file + " duplicates")
                    .isEqualTo(expected.path("duplicates").asLong());
            assertThat(counts.path("rejected")).as(file + " rejected").isEqualTo(expected.path("rejected"));
            assertThat(counts.path("pending").asLong()).isZero();
            assertThat(status.path("verdicts").path("duplicates"))
                    .isEqualTo(expected.path("judged_by_scoring").path("duplicates"));
        }
        assertThat(judgedCases).as("cases of the corpus that scoring judges").isPositive();
    }

    @Test
    void consoleAndUploadRecordsOfOneSeriesAreJudgedAgainstOneHistory() throws Exception {
        String dataset = "interleaved";
        JsonNode first = awaitJudged(upload(dataset, SHORT_HEADER + day("BTC", 1) + day("BTC", 2) + day("BTC", 3)));
        assertThat(first.path("counts").path("accepted").asLong()).isEqualTo(3);
        assertThat(first.path("verdicts").path("forecasts").asLong()).isEqualTo(3);

        // the console: day 3 again (a duplicate), day 2 with other numbers (older than day 3), day 4 (new)
        sendConsole(json(dataset, "BTC", 3, 0), json(dataset, "BTC", 2, 5), json(dataset, "BTC", 4, 0));
        await().atMost(WITHIN).until(() -> storedDays(dataset, "BTC").size() == 4);

        // the next upload repeats day 4 (stored by the console) and adds day 5
        JsonNode next = awaitJudged(upload(dataset, SHORT_HEADER + day("BTC", 4) + day("BTC", 5)));
        JsonNode counts = next.path("counts");
        assertThat(counts.path("accepted").asLong()).isEqualTo(1);
        assertThat(counts.path("duplicates").asLong()).isEqualTo(1);
        assertThat(counts.path("rejected_total").asLong()).isZero();
        assertThat(storedDays(dataset, "BTC"))
                .containsExactly(
                        LocalDate.of(2020, 1, 1),
                        LocalDate.of(2020, 1, 2),
                        LocalDate.of(2020, 1, 3),
                        LocalDate.of(2020, 1, 4),
                        LocalDate.of(2020, 1, 5));
        Map<String, Long> refusals = new TreeMap<>();
        await().atMost(WITHIN).untilAsserted(() -> {
            refusals.clear();
            for (Row r : session.execute(
                    "SELECT reason, dataset FROM " + config().keyspace() + ".rejections_by_upload WHERE upload_id = ?",
                    "no-upload-" + LocalDate.now(java.time.ZoneOffset.UTC))) {
                if (r.getString("dataset").equals(dataset)) {
                    refusals.merge(r.getString("reason"), 1L, Long::sum);
                }
            }
            assertThat(refusals)
                    .as("the console's older day, refused by scoring")
                    .isEqualTo(Map.of("out_of_order", 1L));
        });
    }

    /**
     * The daily close of 1,000 series reads nothing: Cassandra's own read metrics for the keyspace's tables
     * ({@code system_views.coordinator_read_latency} and {@code coordinator_scan_latency}) do not move while the
     * console intake, scoring and the sink take 1,000 new days, forecast them and store prices, forecasts and the
     * accuracy of the previous day's forecasts.
     */
    @Test
    void aDailyCloseOfOneThousandSeriesReadsNothingFromCassandra() throws Exception {
        int series = 1_000;
        List<String> backfill = new ArrayList<>();
        for (int d = 1; d <= 2; d++) {
            for (int s = 0; s < series; s++) {
                backfill.add(json("close-" + (s / known.size()), known.get(s % known.size()), d, 0));
            }
        }
        long forecastsBefore = sinkRows("predictions_by_series");
        sendConsole(backfill.toArray(String[]::new));
        await().atMost(WITHIN).until(() -> sinkRows("predictions_by_series") >= forecastsBefore + 2L * series);

        long forecasts = sinkRows("predictions_by_series");
        long scored = sinkRows("forecast_errors_by_series");
        Map<String, Long> readsBefore = reads();
        List<String> close = new ArrayList<>();
        for (int s = 0; s < series; s++) {
            close.add(json("close-" + (s / known.size()), known.get(s % known.size()), 3, 0));
        }
        sendConsole(close.toArray(String[]::new));
        await().atMost(WITHIN)
                .until(() -> sinkRows("predictions_by_series") >= forecasts + series
                        && sinkRows("forecast_errors_by_series") >= scored + series);
        Map<String, Long> readsAfter = reads();

        assertThat(readsAfter)
                .as("reads per table of the keyspace, by Cassandra's own count")
                .isEqualTo(readsBefore);
        assertThat(readsAfter).as("the metrics name the keyspace's tables").containsKey("prices_by_series");
    }

    /** @return read requests Cassandra counted per table of the stack's keyspace (single-partition reads and scans) */
    private Map<String, Long> reads() {
        Map<String, Long> counts = new TreeMap<>();
        for (String view : List.of("coordinator_read_latency", "coordinator_scan_latency")) {
            for (Row r : session.execute(
                    "SELECT table_name, count FROM system_views." + view + " WHERE keyspace_name = ?",
                    config().keyspace())) {
                counts.merge(r.getString("table_name"), r.getLong("count"), Long::sum);
            }
        }
        return counts;
    }

    private long sinkRows(String table) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config().sinkPort() + "/metrics"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (long) PrometheusText.parse(r.body()).sum("pricecast_sink_rows_written_total", "table", table);
    }

    private List<LocalDate> storedDays(String dataset, String symbol) {
        List<LocalDate> days = new ArrayList<>();
        session.execute(
                        "SELECT date FROM " + config().keyspace()
                                + ".prices_by_series WHERE dataset = ? AND symbol = ?",
                        dataset,
                        symbol)
                .forEach(r -> days.add(r.getLocalDate(0)));
        return days;
    }

    /**
     * Sends console messages keyed by their series, so a series' days keep their order: messages without a key are
     * spread over the raw topic's partitions, and two days of one series sent together could be judged in the
     * other order.
     */
    private void sendConsole(String... messages) throws Exception {
        for (String m : messages) {
            JsonNode j = JSON.readTree(m);
            console.send(new ProducerRecord<>(
                    Topics.PRICES_RAW.name(),
                    j.path("dataset").asText() + "|" + j.path("symbol").asText(),
                    m));
        }
        console.flush();
    }

    /** A short-layout CSV row of day {@code d} of January 2020, the same numbers for the same day and shift. */
    private static String day(String symbol, int d) {
        return symbol + ",2020-01-0" + d + "," + (100 + d) + "," + (110 + d) + "," + (90 + d) + "," + (105 + d)
                + ",1000,5000\n";
    }

    /** The console JSON of the same day as {@link #day}, its open shifted by {@code shift}. */
    private static String json(String dataset, String symbol, int d, int shift) {
        return "{\"dataset\":\"" + dataset + "\",\"symbol\":\"" + symbol + "\",\"date\":\"2020-01-0" + d
                + "\",\"open\":"
                + (100 + d + shift) + ",\"high\":" + (110 + d + shift) + ",\"low\":" + (90 + d) + ",\"close\":"
                + (105 + d)
                + ",\"volume\":1000,\"market\":5000}";
    }

    private String upload(String dataset, String csv) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + config().ingestPort() + "/uploads?dataset=" + dataset))
                        .header("Content-Type", "text/csv")
                        .POST(HttpRequest.BodyPublishers.ofString(csv, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).path("upload_id").asText();
    }

    /** Waits until the upload is published and every record it published is judged; its status then. */
    private JsonNode awaitJudged(String uploadId) {
        return await().atMost(WITHIN)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> get("http://127.0.0.1:" + config().ingestPort() + "/uploads/" + uploadId),
                        s -> s.path("status").asText().equals("failed")
                                || s.path("judged").asBoolean());
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r =
                HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + " -> " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}

package io.pricecast.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.avro.Accuracy;
import io.pricecast.avro.InputRef;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RecordSource;
import io.pricecast.runtime.metrics.PrometheusText;
import io.pricecast.sink.cli.AccuracyCommand;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.StackEndpoints;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * Accuracy on a real sink: the scored forecasts scoring publishes (computed here by the model library's bookkeeping,
 * the code scoring runs) are stored as they come, with no read; the rolling figures the sink then serves equal those
 * computed independently from the exported CSV; a replay rewrites the same rows.
 */
@ExtendWith(RealStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccuracyMonitoringTest {

    private static final String SAMPLE = "sample-accuracy";
    private static final String FLAGS = "flags";
    private static final String V2 = "v2-exact";
    private static final Duration WITHIN = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** per symbol, forecasts whose target day has an actual: 365 forecasts, the newest one has none */
    private static final int SCORED_PER_SAMPLE = 3 * 364;
    /** two synthetic series of 40 days, two model versions: 39 scored forecasts each */
    private static final int SCORED_FLAGS = 2 * 2 * 39;

    private SinkTestKit kit;
    private SinkService sink;
    private CqlSession session;

    @BeforeAll
    void feedTheSampleAndTwoSeriesUnderTwoModels(StackEndpoints stack) {
        kit = SinkTestKit.on(stack, "accuracy");
        session = kit.session();
        sink = kit.startSink();

        List<PriceRecord> prices = SampleData.prices(SAMPLE, "upload-a");
        List<InputRef> at =
                kit.produce(kit.prices(), prices, p -> key(p.getDataset(), p.getSymbol()), PriceRecord::getDate);
        List<Prediction> forecasts = SampleData.predictions(prices, at);
        kit.produce(kit.predictions(), forecasts, p -> key(p.getDataset(), p.getSymbol()), Prediction::getTargetDate);
        kit.produce(
                kit.accuracy(),
                SampleData.accuracy(sortedBySeries(prices), forecasts),
                a -> key(a.getDataset(), a.getSymbol()),
                Accuracy::getTargetDate);

        // two synthetic series and two model versions: one worse than naive, the rest better
        List<PriceRecord> flagPrices = new ArrayList<>();
        List<Prediction> flagForecasts = new ArrayList<>();
        for (String symbol : List.of("GOOD", "BAD")) {
            for (int d = 0; d < 40; d++) {
                PriceRecord p = price(FLAGS, symbol, LocalDate.of(2020, 1, 1).plusDays(d), 100 + d);
                flagPrices.add(p);
                List<InputRef> window = List.of(new InputRef(p.getDate(), kit.prices(), 0, (long) d));
                double exact = 100 + d + 1;
                flagForecasts.add(SampleData.prediction(
                        p,
                        p.getDate().plusDays(1),
                        symbol.equals("BAD") ? exact + 4 : exact,
                        window,
                        null,
                        SampleData.MODEL_VERSION,
                        Instant.parse("2024-05-01T00:00:00Z")));
                flagForecasts.add(SampleData.prediction(
                        p, p.getDate().plusDays(1), exact, window, null, V2, Instant.parse("2024-04-01T00:00:00Z")));
            }
        }
        kit.produce(kit.prices(), flagPrices, p -> key(p.getDataset(), p.getSymbol()), PriceRecord::getDate);
        kit.produce(
                kit.predictions(), flagForecasts, p -> key(p.getDataset(), p.getSymbol()), Prediction::getTargetDate);
        kit.produce(
                kit.accuracy(),
                SampleData.accuracy(flagPrices, flagForecasts),
                a -> key(a.getDataset(), a.getSymbol()),
                Accuracy::getTargetDate);

        await().atMost(WITHIN).untilAsserted(() -> {
            assertThat(stored("forecast_errors_by_series", SAMPLE)).isEqualTo((long) SCORED_PER_SAMPLE);
            assertThat(stored("forecast_errors_by_series", FLAGS)).isEqualTo((long) SCORED_FLAGS);
            assertThat(stored("predictions_by_series", SAMPLE)).isEqualTo(1095L);
            assertThat(stored("prices_by_series", FLAGS)).isEqualTo(80L);
        });
    }

    private static List<PriceRecord> sortedBySeries(List<PriceRecord> prices) {
        return prices.stream()
                .sorted(java.util.Comparator.comparing(PriceRecord::getSymbol).thenComparing(PriceRecord::getDate))
                .toList();
    }

    @AfterAll
    void stop() {
        if (sink != null) {
            sink.close();
        }
        if (session != null) {
            session.close();
        }
    }

    @Test
    void eachScoredForecastIsStoredOnceWithItsErrorsAsScoringComputedThem() {
        List<com.datastax.oss.driver.api.core.cql.Row> rows = session.execute(
                        "SELECT model_version, target_date, pred_open, "
                                + "val_open, base_open, abs_error, naive_abs_error FROM " + kit.keyspace()
                                + ".forecast_errors_by_series WHERE dataset = ? AND symbol = ?",
                        FLAGS,
                        "BAD")
                .all();
        assertThat(rows).hasSize(2 * 39);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.getDouble("abs_error"))
                    .isEqualTo(Math.abs(r.getDouble("pred_open") - r.getDouble("val_open")));
            assertThat(r.getDouble("naive_abs_error"))
                    .isEqualTo(Math.abs(r.getDouble("base_open") - r.getDouble("val_open")));
            assertThat(r.getDouble("abs_error"))
                    .isEqualTo(r.getString("model_version").equals(V2) ? 0.0 : 4.0);
        });
    }

    @Test
    void rollingFiguresEqualThoseComputedFromTheExportedCsv() throws Exception {
        for (String dataset : List.of(SAMPLE, FLAGS)) {
            for (String model : List.of(SampleData.MODEL_VERSION, V2)) {
                Map<String, Expected> fromCsv = fromCsv(dataset, model);
                JsonNode table = accuracy(dataset, model);
                assertThat(table.path("series").asInt())
                        .as(dataset + " " + model)
                        .isEqualTo(fromCsv.size());
                for (JsonNode row : table.path("rows")) {
                    Expected e = fromCsv.get(row.path("symbol").asText());
                    assertThat(e).as(row.toString()).isNotNull();
                    assertThat(row.path("last_target_date").asText()).isEqualTo(e.last.toString());
                    assertThat(row.path("scored_7").asInt()).isEqualTo(e.n7);
                    assertThat(row.path("scored_30").asInt()).isEqualTo(e.n30);
                    assertThat(row.path("mad_7").asDouble()).isCloseTo(e.mad7, within(1e-9 * (1 + e.mad7)));
                    assertThat(row.path("naive_mad_7").asDouble()).isCloseTo(e.naive7, within(1e-9 * (1 + e.naive7)));
                    assertThat(row.path("mad_30").asDouble()).isCloseTo(e.mad30, within(1e-9 * (1 + e.mad30)));
                    assertThat(row.path("naive_mad_30").asDouble())
                            .isCloseTo(e.naive30, within(1e-9 * (1 + e.naive30)));
                    assertThat(row.path("flagged").asBoolean())
                            .as(row.toString())
                            .isEqualTo(e.mad30 > e.naive30);
                }
            }
        }
    }

    @Test
    void aSeriesWorseThanTheNaiveForecastIsFlaggedPerModelVersionAndCountedOnMetrics() throws Exception {
        JsonNode flagged = JSON.readTree(SinkTestKit.get(base() + "/accuracy?dataset=" + FLAGS + "&flagged=true")
                .body());
        assertThat(flagged.path("series").asInt()).isEqualTo(4);
        assertThat(flagged.path("rows")).hasSize(1);
        assertThat(flagged.path("rows").get(0).path("symbol").asText()).isEqualTo("BAD");
        assertThat(flagged.path("rows").get(0).path("model_version").asText()).isEqualTo(SampleData.MODEL_VERSION);
        assertThat(flagged.path("rows").get(0).path("mad_30").asDouble()).isCloseTo(4.0, within(1e-9));
        assertThat(flagged.path("rows").get(0).path("naive_mad_30").asDouble()).isCloseTo(1.0, within(1e-9));

        JsonNode metrics =
                JSON.readTree(SinkTestKit.get(base() + "/status").body()).path("accuracy");
        int flaggedInSample = accuracy(SAMPLE, null).path("flagged").asInt();
        PrometheusText scraped =
                PrometheusText.parse(SinkTestKit.get(base() + "/metrics").body());
        assertThat(scraped.sum("pricecast_accuracy_series")).isEqualTo(3 + 4);
        assertThat(scraped.sum("pricecast_accuracy_series", "model_version", V2))
                .isEqualTo(2);
        assertThat(scraped.sum("pricecast_accuracy_series_flagged")).isEqualTo(1 + flaggedInSample);
        assertThat(scraped.sum("pricecast_accuracy_series_flagged", "model_version", V2))
                .isZero();
        assertThat(scraped.sum("pricecast_accuracy_stored_total")).isEqualTo(SCORED_PER_SAMPLE + SCORED_FLAGS);
        assertThat(metrics.path("series_tracked").asInt()).isEqualTo(3 + 4);
        assertThat(metrics.path("series_flagged").asInt()).isEqualTo(1 + flaggedInSample);
        assertThat(metrics.path("by_model").path(V2).path("series").asInt()).isEqualTo(2);
        assertThat(metrics.path("by_model").path(V2).path("series_flagged").asInt())
                .isZero();
        assertThat(metrics.path("scored_forecasts_stored").asLong()).isEqualTo(SCORED_PER_SAMPLE + SCORED_FLAGS);
    }

    @Test
    void aReplayOfTheTopicsRewritesTheSameFigures() throws Exception {
        String before = accuracy(null, null).path("rows").toString();
        long errors = kit.count(session, "forecast_errors_by_series", "");
        Map<String, String> env = new HashMap<>(kit.environment());
        env.put("PRICECAST_SINK_GROUP", kit.group() + "-replay");
        try (SinkService replay = SinkService.start(SinkSettings.fromEnvironment(env))) {
            await().atMost(WITHIN)
                    .untilAsserted(() -> assertThat(
                                    JSON.readTree(SinkTestKit.get("http://127.0.0.1:" + replay.port() + "/status")
                                                    .body())
                                            .path("accuracy")
                                            .path("scored_forecasts_stored")
                                            .asLong())
                            .isEqualTo(SCORED_PER_SAMPLE + SCORED_FLAGS));
        }
        assertThat(kit.count(session, "forecast_errors_by_series", "")).isEqualTo(errors);
        assertThat(accuracy(null, null).path("rows").toString()).isEqualTo(before);
    }

    @Test
    void accuracyCommandPrintsTheTableOfADatasetAndModel() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new AccuracyCommand());
        cli.setOut(new PrintWriter(out));
        int status = cli.execute("--url", base(), "--dataset", FLAGS, "--model", SampleData.MODEL_VERSION);
        assertThat(status).as(out.toString()).isZero();
        assertThat(out.toString())
                .contains("BAD", "GOOD", "worse than naive", "1 of 2 series flagged")
                .doesNotContain(V2);

        StringWriter err = new StringWriter();
        cli = new CommandLine(new AccuracyCommand());
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("--url", "http://127.0.0.1:1")).isEqualTo(1);
        assertThat(err.toString()).contains("not reachable");
    }

    @Test
    void chartPageItsLibraryAndItsJsonAreServedByTheSink() throws Exception {
        HttpResponse<String> page = SinkTestKit.get(base() + "/chart");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        java.util.regex.Matcher src = java.util.regex.Pattern.compile("src=\"(/webjars/echarts/[^\"]+)\"")
                .matcher(page.body());
        assertThat(src.find()).as(page.body()).isTrue();
        HttpResponse<String> library = SinkTestKit.get(base() + src.group(1));
        assertThat(library.statusCode())
                .as("the WebJar, from the sink's classpath")
                .isEqualTo(200);
        assertThat(library.body()).hasSizeGreaterThan(500_000).contains("echarts");
        assertThat(SinkTestKit.get(base() + "/chart/chart.js").statusCode()).isEqualTo(200);

        assertThat(JSON.readTree(SinkTestKit.get(base() + "/chart/api/datasets").body())
                        .path("datasets")
                        .toString())
                .contains(SAMPLE, FLAGS);
        JsonNode symbols = JSON.readTree(SinkTestKit.get(base() + "/chart/api/symbols?dataset=" + FLAGS + "&q=b")
                .body());
        assertThat(symbols.path("symbols").toString()).isEqualTo("[\"BAD\"]");
        JsonNode first = JSON.readTree(SinkTestKit.get(base() + "/chart/api/symbols?dataset=" + SAMPLE + "&limit=2")
                .body());
        assertThat(first.path("symbols").toString()).isEqualTo("[\"BTC\",\"LTC\"]");
        assertThat(first.path("more").asBoolean()).isTrue();

        JsonNode series = JSON.readTree(SinkTestKit.get(base() + "/chart/api/series?dataset=" + FLAGS + "&symbol=BAD")
                .body());
        assertThat(series.path("points")).hasSize(40);
        assertThat(series.path("scored").asInt()).isEqualTo(39);
        assertThat(series.path("points").get(0).path("model_version").asText())
                .as("latest-scored, as the pred URL")
                .isEqualTo(SampleData.MODEL_VERSION);
        assertThat(series.path("mad").asDouble()).isCloseTo(4.0, within(1e-9));
        assertThat(series.path("tomorrow").path("date").asText()).isEqualTo("2020-02-10");
        JsonNode v2 =
                JSON.readTree(SinkTestKit.get(base() + "/chart/api/series?dataset=" + FLAGS + "&symbol=BAD&model=" + V2)
                        .body());
        assertThat(v2.path("mad").asDouble()).isZero();
        assertThat(SinkTestKit.get(base() + "/chart/api/series?dataset=" + FLAGS + "&symbol=NONE")
                        .statusCode())
                .isEqualTo(404);
        assertThat(SinkTestKit.get(base() + "/chart/api/series?dataset=" + FLAGS)
                        .statusCode())
                .isEqualTo(400);
    }

    /** The figures recomputed from nothing but the pred URL's CSV of that model version. */
    private record Expected(
            LocalDate last, int n7, double mad7, double naive7, int n30, double mad30, double naive30) {}

    private Map<String, Expected> fromCsv(String dataset, String model) throws Exception {
        HttpResponse<String> r = SinkTestKit.get(base() + "/predictions.csv?dataset=" + dataset + "&model=" + model);
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, TreeMap<LocalDate, CSVRecord>> bySymbol = new HashMap<>();
        for (CSVRecord row : CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new StringReader(r.body()))) {
            bySymbol.computeIfAbsent(row.get("symbol"), s -> new TreeMap<>())
                    .put(LocalDate.parse(row.get("date")), row);
        }
        Map<String, Expected> result = new HashMap<>();
        bySymbol.forEach((symbol, rows) -> {
            // the naive forecast of day T is the actual open of day T-1 (each forecast's base day is the day before)
            List<LocalDate> scored = rows.keySet().stream()
                    .filter(d -> !rows.get(d).get("val_open").isEmpty())
                    .toList();
            if (scored.isEmpty()) {
                return;
            }
            LocalDate last = scored.get(scored.size() - 1);
            double[] w7 = window(rows, scored, last.minusDays(6));
            double[] w30 = window(rows, scored, last.minusDays(29));
            result.put(symbol, new Expected(last, (int) w7[0], w7[1], w7[2], (int) w30[0], w30[1], w30[2]));
        });
        return result;
    }

    private static double[] window(TreeMap<LocalDate, CSVRecord> rows, List<LocalDate> scored, LocalDate first) {
        double n = 0;
        double err = 0;
        double naive = 0;
        for (LocalDate d : scored) {
            if (d.isBefore(first)) {
                continue;
            }
            double val = Double.parseDouble(rows.get(d).get("val_open"));
            double yesterday = Double.parseDouble(rows.get(d.minusDays(1)).get("val_open"));
            n++;
            err += Math.abs(Double.parseDouble(rows.get(d).get("pred_open")) - val);
            naive += Math.abs(yesterday - val);
        }
        return new double[] {n, err / n, naive / n};
    }

    private JsonNode accuracy(String dataset, String model) throws Exception {
        String url = base() + "/accuracy?" + (dataset == null ? "" : "dataset=" + dataset)
                + (model == null ? "" : "&model=" + model);
        HttpResponse<String> r = SinkTestKit.get(url);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private long stored(String table, String dataset) {
        return kit.count(session, table, "dataset = ? ALLOW FILTERING", dataset);
    }

    private String base() {
        return "http://127.0.0.1:" + sink.port();
    }

    private static String key(String dataset, String symbol) {
        return dataset + "|" + symbol;
    }

    private static PriceRecord price(String dataset, String symbol, LocalDate date, double open) {
        return PriceRecord.newBuilder()
                .setDataset(dataset)
                .setSymbol(symbol)
                .setDate(date)
                .setOpen(open)
                .setHigh(open + 2)
                .setLow(open - 2)
                .setClose(open + 1)
                .setVolume(1)
                .setMarket(1)
                .setSource(RecordSource.CONSOLE)
                .setRawTopic("prices.raw")
                .setRawPartition(0)
                .setRawOffset(0L)
                .setIngestVersion("ingest-test")
                .setReceivedAt(Instant.parse("2024-05-01T00:00:00Z"))
                .build();
    }
}

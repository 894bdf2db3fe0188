package io.pricecast.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pricecast.avro.InputRef;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RecordSource;
import io.pricecast.sink.cli.ExportCommand;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.StackEndpoints;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The CSV contract the data science team's front end ({@code simple_frontend.py}: {@code pd.read_csv(url)}, then
 * {@code pred_open} against {@code val_open} per symbol) relies on, clause by clause, on the pred URL of a dataset of
 * several series: written by a real sink into a real Cassandra and exported by the real export code
 * (docs/sink-service.md, "The front end on the pred URL").
 *
 * <ol>
 *   <li>header {@code symbol,index,date,pred_open,val_open}, in that order;</li>
 *   <li>no byte order mark;</li>
 *   <li>{@code \n} line endings (no {@code \r} anywhere), the last line ended too;</li>
 *   <li>(symbol, index) unique;</li>
 *   <li>index counting from 0 per symbol, in date order;</li>
 *   <li>an empty {@code val_open} only on each series' newest forecast.</li>
 * </ol>
 */
@ExtendWith(RealStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrontEndCsvContractTest {

    private static final String DATASET = "frontend";
    private static final List<String> HEADER = List.of("symbol", "index", "date", "pred_open", "val_open");
    private static final Duration STORED_WITHIN = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant SCORED = Instant.parse("2024-05-01T10:00:05Z");
    private static final Instant RETRAINED = Instant.parse("2024-06-01T10:00:05Z");

    /** The series: first day and number of days. Published day by day, as the daily feed interleaves them. */
    private static final Map<String, Series> SERIES = new LinkedHashMap<>();

    static {
        SERIES.put("XRP", new Series(LocalDate.of(2018, 1, 1), 30));
        SERIES.put("BTC", new Series(LocalDate.of(2017, 12, 20), 45));
        SERIES.put("ETH", new Series(LocalDate.of(2018, 1, 15), 10));
        SERIES.put("LTC", new Series(LocalDate.of(2018, 1, 31), 1)); // one day: its only forecast is its newest
    }

    private record Series(LocalDate first, int days) {
        LocalDate last() {
            return first.plusDays(days - 1L);
        }
    }

    private SinkTestKit kit;
    private SinkService sink;
    private String base;
    /** symbol → date → the actual open stored for it. */
    private final Map<String, Map<LocalDate, Double>> opens = new HashMap<>();

    @BeforeAll
    void publishSeveralSeriesAndStartASink(StackEndpoints stack) {
        kit = SinkTestKit.on(stack, "frontend");
        List<PriceRecord> prices = new ArrayList<>();
        LocalDate from = SERIES.values().stream()
                .map(Series::first)
                .min(LocalDate::compareTo)
                .orElseThrow();
        LocalDate to = SERIES.values().stream()
                .map(Series::last)
                .max(LocalDate::compareTo)
                .orElseThrow();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            for (var e : SERIES.entrySet()) {
                if (!d.isBefore(e.getValue().first()) && !d.isAfter(e.getValue().last())) {
                    double open = 100 + e.getKey().hashCode() % 50 + d.getDayOfYear() * 0.37;
                    prices.add(PriceRecord.newBuilder()
                            .setDataset(DATASET)
                            .setSymbol(e.getKey())
                            .setDate(d)
                            .setOpen(open)
                            .setHigh(open * 1.05)
                            .setLow(open * 0.95)
                            .setClose(open * 1.01)
                            .setVolume(1e6)
                            .setMarket(1e9)
                            .setSource(RecordSource.CONSOLE)
                            .setRawTopic("prices.raw")
                            .setRawPartition(0)
                            .setRawOffset((long) prices.size())
                            .setIngestVersion("ingest-test")
                            .setReceivedAt(SCORED)
                            .build());
                    opens.computeIfAbsent(e.getKey(), k -> new HashMap<>()).put(d, open);
                }
            }
        }
        List<InputRef> at =
                kit.produce(kit.prices(), prices, p -> p.getDataset() + "|" + p.getSymbol(), PriceRecord::getDate);

        // each day D forecasts D + 1, the window its last 5 records; BTC's last 10 targets were forecast again by a
        // retrained version, scored later: one row per date all the same
        Map<String, List<InputRef>> history = new HashMap<>();
        List<Prediction> forecasts = new ArrayList<>();
        for (int i = 0; i < prices.size(); i++) {
            PriceRecord p = prices.get(i);
            List<InputRef> h = history.computeIfAbsent(p.getSymbol(), s -> new ArrayList<>());
            h.add(at.get(i));
            List<InputRef> window = List.copyOf(h.subList(Math.max(0, h.size() - 5), h.size()));
            InputRef previous = h.size() > 5 ? h.get(h.size() - 6) : null;
            LocalDate target = p.getDate().plusDays(1);
            forecasts.add(SampleData.prediction(
                    p, target, p.getOpen() * 1.01, window, previous, SampleData.MODEL_VERSION, SCORED));
            if (p.getSymbol().equals("BTC")
                    && !target.isBefore(SERIES.get("BTC").last().minusDays(8))) {
                forecasts.add(SampleData.prediction(
                        p, target, p.getOpen() * 0.99, window, previous, "retrained-v2", RETRAINED));
            }
        }
        kit.produce(kit.predictions(), forecasts, f -> f.getDataset() + "|" + f.getSymbol(), Prediction::getTargetDate);

        sink = kit.startSink();
        base = "http://127.0.0.1:" + sink.port();
        try (var session = kit.session()) {
            await().atMost(STORED_WITHIN).untilAsserted(() -> {
                assertThat(kit.count(session, "prices_by_series", "")).isEqualTo(prices.size());
                assertThat(kit.count(session, "predictions_by_series", "")).isEqualTo(forecasts.size());
            });
        }
    }

    @AfterAll
    void stop() {
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void thePredUrlKeepsEveryClauseOfTheFrontEndsContract() throws Exception {
        HttpResponse<byte[]> r = get("/predictions.csv?dataset=" + DATASET);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");

        Map<String, List<CSVRecord>> bySymbol = assertContract(r.body());
        assertThat(bySymbol).containsOnlyKeys(SERIES.keySet());
        for (var e : SERIES.entrySet()) {
            List<CSVRecord> rows = bySymbol.get(e.getKey());
            // one forecast per target date: the day after each stored day
            assertThat(rows).as(e.getKey()).hasSize(e.getValue().days());
            assertThat(rows.get(0).get("date"))
                    .isEqualTo(e.getValue().first().plusDays(1).toString());
            assertThat(rows.get(rows.size() - 1).get("date"))
                    .isEqualTo(e.getValue().last().plusDays(1).toString());
        }
    }

    @Test
    void aNarrowedPredUrlKeepsTheContractAndCountsItsIndexFromZeroAgain() throws Exception {
        Map<String, List<CSVRecord>> bySymbol =
                assertContract(get("/predictions.csv?dataset=" + DATASET + "&symbols=ETH,BTC&from=2018-01-20")
                        .body());
        assertThat(bySymbol).containsOnlyKeys("ETH", "BTC");
        assertThat(bySymbol.get("BTC").get(0).get("date")).isEqualTo("2018-01-20");
        assertThat(bySymbol.get("BTC").get(0).get("index")).isEqualTo("0");

        // up to a past day: every forecast of it has its actual, none is empty
        Map<String, List<CSVRecord>> past = assertContract(
                get("/predictions.csv?dataset=" + DATASET + "&to=2018-01-10").body(), false);
        past.values()
                .forEach(rows ->
                        rows.forEach(row -> assertThat(row.get("val_open")).isNotEmpty()));
    }

    @Test
    void thePredictionsFileOfTheExportCommandIsTheSameBytes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("preds.csv");
        assertThat(new CommandLine(new ExportCommand())
                        .execute("--dataset", DATASET, "--out", out.toString(), "--url", base))
                .isZero();
        assertThat(Files.readAllBytes(out))
                .isEqualTo(get("/predictions.csv?dataset=" + DATASET).body());
    }

    private Map<String, List<CSVRecord>> assertContract(byte[] body) throws Exception {
        return assertContract(body, true);
    }

    /**
     * Asserts every clause of the contract on one export.
     *
     * @param newestIsTomorrow whether each series' newest row is its forecast for the day after its last stored day
     *                         (the export is not cut off by {@code to=}), hence has no actual yet
     * @return the rows per symbol, in file order
     */
    private Map<String, List<CSVRecord>> assertContract(byte[] body, boolean newestIsTomorrow) throws Exception {
        // no byte order mark: the first bytes are the header's
        assertThat(body.length).isGreaterThan(3);
        assertThat(new byte[] {body[0], body[1], body[2]})
                .as("no UTF-8 BOM")
                .isNotEqualTo(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        String text = new String(body, StandardCharsets.UTF_8);
        assertThat(text).startsWith("symbol,");
        // \n line endings, the last line ended too
        assertThat(text).as("no \\r anywhere").doesNotContain("\r");
        assertThat(text).endsWith("\n").doesNotEndWith("\n\n");
        // the header, in that order
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).isEqualTo(String.join(",", HEADER));

        List<CSVRecord> rows;
        try (CSVParser parser = CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new StringReader(text))) {
            assertThat(parser.getHeaderNames()).containsExactlyElementsOf(HEADER);
            rows = parser.getRecords();
        }
        assertThat(rows).hasSize(lines.size() - 1).isNotEmpty();

        Set<String> keys = new HashSet<>();
        Map<String, List<CSVRecord>> bySymbol = new LinkedHashMap<>();
        for (CSVRecord row : rows) {
            assertThat(row.size()).as("five cells: " + row).isEqualTo(HEADER.size());
            // (symbol, index) unique
            assertThat(keys.add(row.get("symbol") + "|" + row.get("index")))
                    .as("unique (symbol, index): " + row)
                    .isTrue();
            bySymbol.computeIfAbsent(row.get("symbol"), s -> new ArrayList<>()).add(row);
            Double.parseDouble(row.get("pred_open"));
        }
        for (var e : bySymbol.entrySet()) {
            List<CSVRecord> series = e.getValue();
            for (int i = 0; i < series.size(); i++) {
                CSVRecord row = series.get(i);
                // index counts from 0 per symbol, in date order
                assertThat(row.get("index")).as(e.getKey() + " row " + i).isEqualTo(Integer.toString(i));
                if (i > 0) {
                    assertThat(LocalDate.parse(row.get("date")))
                            .as(e.getKey() + " dates ascending")
                            .isAfter(LocalDate.parse(series.get(i - 1).get("date")));
                }
                // an empty val_open only on the series' newest forecast; elsewhere the actual open of that day
                boolean newest = i == series.size() - 1;
                if (newest && newestIsTomorrow) {
                    assertThat(row.get("val_open"))
                            .as(e.getKey() + " newest forecast: no actual yet")
                            .isEmpty();
                } else {
                    assertThat(row.get("val_open"))
                            .as(e.getKey() + " " + row.get("date"))
                            .isNotEmpty();
                    assertThat(Double.parseDouble(row.get("val_open")))
                            .isEqualTo(opens.get(e.getKey()).get(LocalDate.parse(row.get("date"))));
                }
            }
        }
        return bySymbol;
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}

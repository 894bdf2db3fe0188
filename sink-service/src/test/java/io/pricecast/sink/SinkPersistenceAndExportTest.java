package io.pricecast.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.avro.InputRef;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RecordSource;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.avro.UploadVerdicts;
import io.pricecast.runtime.metrics.PrometheusText;
import io.pricecast.schemas.Rescoring;
import io.pricecast.schemas.RowLineage;
import io.pricecast.sink.cli.ExportCommand;
import io.pricecast.testing.Readiness;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.StackEndpoints;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The sample, published to Kafka, persisted by a real sink into a real Cassandra, exported over HTTP. */
@ExtendWith(RealStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SinkPersistenceAndExportTest {

    private static final String DATASET = "sample";
    private static final String UPLOAD = "upload-sample-1";
    private static final Duration STORED_WITHIN = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SinkTestKit kit;
    private SinkService sink;
    private CqlSession session;
    private List<PriceRecord> prices;
    private List<InputRef> pricePositions;
    private List<Prediction> predictions;
    private List<InputRef> predictionPositions;
    private String base;

    @BeforeAll
    void publishTheSampleAndStartASink(StackEndpoints stack) {
        kit = SinkTestKit.on(stack, "export");
        session = kit.session();
        prices = SampleData.prices(DATASET, UPLOAD);
        pricePositions =
                kit.produce(kit.prices(), prices, p -> p.getDataset() + "|" + p.getSymbol(), PriceRecord::getDate);
        predictions = SampleData.predictions(prices, pricePositions);
        predictionPositions = kit.produce(
                kit.predictions(), predictions, p -> p.getDataset() + "|" + p.getSymbol(), Prediction::getTargetDate);
        List<RejectedRecord> rejected =
                List.of(rejection("high_below_low", 7), rejection("high_below_low", 9), rejection("bad_number", 12));
        kit.produce(kit.rejected(), rejected, r -> r.getDataset() + "|" + r.getSymbol(), RejectedRecord::getDate);
        // scoring's verdicts on the upload's records, per input partition: cumulative, the newest replaces the row
        kit.produce(
                kit.verdicts(),
                List.of(verdicts(0, 400, 400), verdicts(1, 300, 290), verdicts(1, 300, 300), verdicts(2, 395, 395)),
                UploadVerdicts::getUploadId,
                v -> LocalDate.of(2024, 5, 1));
        sink = kit.startSink();
        base = "http://127.0.0.1:" + sink.port();
        await().atMost(STORED_WITHIN).untilAsserted(() -> {
            assertThat(kit.count(session, "prices_by_series", "")).isEqualTo(1095);
            assertThat(kit.count(session, "predictions_by_series", "")).isEqualTo(1095);
            assertThat(kit.count(session, "rejections_by_upload", "")).isEqualTo(3);
            assertThat(kit.count(session, "upload_verdicts", "")).isEqualTo(3);
        });
    }

    private static UploadVerdicts verdicts(int partition, long accepted, long forecasts) {
        return new UploadVerdicts(
                UPLOAD,
                DATASET,
                partition,
                accepted,
                accepted,
                0L,
                Map.of(),
                forecasts,
                Map.of(),
                "scoring-test",
                Instant.parse("2024-05-01T10:00:07Z"));
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

    private static RejectedRecord rejection(String reason, long line) {
        return RejectedRecord.newBuilder()
                .setDataset(DATASET)
                .setSymbol("BTC")
                .setReason(reason)
                .setMessage("line " + line + ": " + reason)
                .setSource(RecordSource.UPLOAD)
                .setUploadId(UPLOAD)
                .setFileLine(line)
                .setCodeVersion("ingest-test")
                .setRejectedAt(Instant.parse("2024-05-01T10:00:01Z"))
                .build();
    }

    @Test
    void storesEveryPriceAndPredictionWithItsKafkaPosition() {
        for (int i : new int[] {0, 500, 1094}) {
            PriceRecord p = prices.get(i);
            InputRef at = pricePositions.get(i);
            Row row = session.execute(
                            "SELECT * FROM " + kit.keyspace() + ".prices_by_series WHERE dataset = ? AND symbol = ?"
                                    + " AND date = ?",
                            DATASET,
                            p.getSymbol(),
                            p.getDate())
                    .one();
            assertThat(row).isNotNull();
            assertThat(row.getDouble("open")).isEqualTo(p.getOpen());
            assertThat(row.getDouble("market")).isEqualTo(p.getMarket());
            JsonNode lineage = RowLineage.parse(row.getString("lineage"));
            assertThat(lineage.path("kafka_topic").asText()).isEqualTo(at.getTopic());
            assertThat(lineage.path("kafka_partition").asInt()).isEqualTo(at.getPartition());
            assertThat(lineage.path("kafka_offset").asLong()).isEqualTo(at.getOffset());
            assertThat(lineage.path("upload_id").asText()).isEqualTo(UPLOAD);
            assertThat(lineage.path("file_line").asLong()).isEqualTo(p.getFileLine());
            assertThat(lineage.path("slug").asText()).isEqualTo(p.getSlug());
            assertThat(lineage.path("file_sha256").asText()).isEqualTo(SampleData.FILE_SHA256);
            assertThat(lineage.path("received_at").asText())
                    .isEqualTo(p.getReceivedAt().toString());
            // the lineage is one cell: the columns of the earlier format stay unset
            for (String folded : List.of(
                    "kafka_topic", "kafka_offset", "upload_id", "file_line", "slug", "ingest_version", "written_at")) {
                assertThat(row.isNull(folded)).as(folded).isTrue();
            }

            Prediction f = predictions.get(i);
            InputRef fAt = predictionPositions.get(i);
            Row pr = session.execute(
                            "SELECT * FROM " + kit.keyspace()
                                    + ".predictions_by_series WHERE dataset = ? AND symbol = ?"
                                    + " AND target_date = ? AND model_version = ?",
                            DATASET,
                            f.getSymbol(),
                            f.getTargetDate(),
                            f.getModelVersion())
                    .one();
            assertThat(pr).isNotNull();
            assertThat(pr.getDouble("pred_open")).isEqualTo(f.getPredOpen());
            assertThat(pr.getDouble("base_open")).isEqualTo(f.getBaseOpen());
            assertThat(pr.getLocalDate("base_date")).isEqualTo(f.getBaseDate());
            assertThat(pr.getString("prediction_id")).isEqualTo(f.getPredictionId());
            JsonNode fl = RowLineage.parse(pr.getString("lineage"));
            assertThat(fl.path("kafka_partition").asInt()).isEqualTo(fAt.getPartition());
            assertThat(fl.path("kafka_offset").asLong()).isEqualTo(fAt.getOffset());
            assertThat(fl.path("model_sha256").asText()).isEqualTo(SampleData.MODEL_SHA256);
            assertThat(fl.path("window")).hasSize(f.getWindow().size());
            for (String folded :
                    List.of("window", "model_sha256", "kafka_offset", "upload_id", "model_output", "written_at")) {
                assertThat(pr.isNull(folded)).as(folded).isTrue();
            }
        }
        assertThat(kit.count(session, "predictions_by_upload", "upload_id = ?", UPLOAD))
                .as("no longer written")
                .isZero();
        assertThat(kit.count(session, "symbols_by_dataset", "dataset = ?", DATASET))
                .isEqualTo(3);
    }

    /**
     * The stored forecasts are the reference file's values, so the export must give them back digit for digit: the
     * same text (Python's repr, the CSV contract's number format) and the same doubles.
     */
    @Test
    void exportGivesTheStoredReferenceForecastsBackDigitForDigitAndReadsLikeTheFrontEndExpects() throws Exception {
        HttpResponse<String> r = SinkTestKit.get(base + "/predictions.csv?dataset=" + DATASET);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");

        List<CSVRecord> rows = CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new StringReader(r.body()))
                .getRecords();
        assertThat(r.body().lines().findFirst()).hasValue("symbol,index,date,pred_open,val_open");
        assertThat(rows).hasSize(1095);

        Map<String, List<CSVRecord>> bySymbol = rows.stream().collect(Collectors.groupingBy(c -> c.get("symbol")));
        assertThat(bySymbol).containsOnlyKeys("BTC", "LTC", "XRP");
        for (SampleData.Expected e : SampleData.expected()) {
            CSVRecord got = bySymbol.get(e.symbol()).get(e.index());
            assertThat(got.get("index")).isEqualTo(Integer.toString(e.index()));
            assertThat(got.get("date")).isEqualTo(e.date());
            assertThat(got.get("pred_open")).as(e.toString()).isEqualTo(e.predOpenText());
            assertThat(Double.parseDouble(got.get("pred_open"))).isEqualTo(e.predOpen());
            assertThat(got.get("val_open")).as(e.toString()).isEqualTo(e.valOpen());
        }
        for (List<CSVRecord> series : bySymbol.values()) {
            CSVRecord newest = series.get(series.size() - 1);
            assertThat(newest.get("index")).isEqualTo("364");
            assertThat(newest.get("val_open")).isEmpty();
            List<String> dates = series.stream().map(c -> c.get("date")).toList();
            assertThat(dates).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void exportFiltersBySymbolsDateRangeAndModel() throws Exception {
        String body = SinkTestKit.get(base + "/predictions.csv?dataset=" + DATASET
                        + "&symbols=XRP,BTC&from=2014-01-01&to=2014-01-10&model=" + SampleData.MODEL_VERSION)
                .body();
        List<String> lines = body.lines().toList();
        assertThat(lines).hasSize(1 + 20);
        assertThat(lines.get(1)).startsWith("XRP,0,2014-01-01,");
        assertThat(lines.get(11)).startsWith("BTC,0,2014-01-01,");

        assertThat(SinkTestKit.get(base + "/predictions.csv?dataset=" + DATASET + "&model=no-such-model")
                        .body()
                        .lines())
                .containsExactly("symbol,index,date,pred_open,val_open");
    }

    @Test
    void exportPicksTheLatestScoredLiveModelPerDateUnlessOneIsNamed() throws Exception {
        String dataset = "sample-models";
        PriceRecord p = PriceRecord.newBuilder(prices.get(10))
                .setDataset(dataset)
                .setUploadId(null)
                .build(); // BTC, 2013-08-14
        LocalDate target = p.getDate().plusDays(1);
        Prediction first = SampleData.prediction(
                p, target, 100.5, List.of(), null, SampleData.MODEL_VERSION, Instant.parse("2024-05-01T00:00:00Z"));
        Prediction newer = SampleData.prediction(
                p, target, 4242.0, List.of(), null, "retrained-v2", Instant.parse("2024-06-01T00:00:00Z"));
        // scored last, but by a re-score: shown only where its version is asked for
        Prediction rescored = Prediction.newBuilder(SampleData.prediction(
                        p, target, 7.0, List.of(), null, "old-v0", Instant.parse("2024-07-01T00:00:00Z")))
                .setScoringVersion(Rescoring.SCORING_VERSION_PREFIX + "test")
                .build();
        kit.produce(
                kit.predictions(),
                List.of(newer, first, rescored),
                x -> x.getDataset() + "|" + x.getSymbol(),
                Prediction::getTargetDate);
        String url = base + "/predictions.csv?dataset=" + dataset + "&symbols=BTC";
        await().atMost(STORED_WITHIN)
                .untilAsserted(() -> assertThat(kit.count(
                                session, "predictions_by_series", "dataset = ? AND symbol = ?", dataset, "BTC"))
                        .isEqualTo(3));
        assertThat(SinkTestKit.get(url + "&model=old-v0").body()).contains("BTC,0," + target + ",7.0,");
        assertThat(SinkTestKit.get(url).body().lines())
                .containsExactly("symbol,index,date,pred_open,val_open", "BTC,0," + target + ",4242.0,");
        assertThat(SinkTestKit.get(url + "&model=" + SampleData.MODEL_VERSION).body())
                .contains("BTC,0," + target + ",100.5,");
        JsonNode lineage = JSON.readTree(SinkTestKit.get(base + "/predictions/" + dataset + "/BTC/" + target)
                .body());
        assertThat(lineage.path("model").path("version").asText()).isEqualTo("retrained-v2");
        assertThat(lineage.path("model_versions_for_date")).hasSize(3);
        JsonNode chosen = JSON.readTree(SinkTestKit.get(
                        base + "/predictions/" + dataset + "/BTC/" + target + "?model=" + SampleData.MODEL_VERSION)
                .body());
        assertThat(chosen.path("pred_open").asDouble()).isEqualTo(100.5);
    }

    @Test
    void lineageLookUpReturnsTheWindowOffsetsUploadLineModelAndCodeVersions() throws Exception {
        int i = 200; // BTC, index 200 of the file: a full window
        Prediction f = predictions.get(i);
        HttpResponse<String> r =
                SinkTestKit.get(base + "/predictions/" + DATASET + "/" + f.getSymbol() + "/" + f.getTargetDate());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode j = JSON.readTree(r.body());
        assertThat(j.path("prediction_id").asText()).isEqualTo(f.getPredictionId());
        assertThat(j.path("base_date").asText()).isEqualTo(f.getBaseDate().toString());
        assertThat(j.path("pred_open").asDouble()).isEqualTo(f.getPredOpen());
        assertThat(j.path("val_open").asDouble()).isEqualTo(prices.get(i + 1).getOpen());
        assertThat(j.path("window")).hasSize(SampleData.WINDOW);
        List<Long> offsets = new ArrayList<>();
        j.path("window").forEach(w -> offsets.add(w.path("offset").asLong()));
        assertThat(offsets)
                .containsExactlyElementsOf(
                        f.getWindow().stream().map(InputRef::getOffset).toList());
        assertThat(j.path("window").get(4).path("topic").asText()).isEqualTo(kit.prices());
        assertThat(j.path("previous").path("offset").asLong())
                .isEqualTo(f.getPrevious().getOffset());
        assertThat(j.path("base_record_source").path("upload_id").asText()).isEqualTo(UPLOAD);
        assertThat(j.path("base_record_source").path("file_line").asLong()).isEqualTo(i + 2);
        assertThat(j.path("model").path("sha256").asText()).isEqualTo(SampleData.MODEL_SHA256);
        assertThat(j.path("model").path("scaler_sha256").asText()).isEqualTo(SampleData.SCALER_SHA256);
        assertThat(j.path("code_versions").path("ingest").asText()).isEqualTo("ingest-test");
        assertThat(j.path("code_versions").path("scoring").asText()).isEqualTo("scoring-test");
        assertThat(j.path("code_versions").path("sink").asText()).isNotBlank();
        assertThat(j.path("timestamps").path("scored_at").asText()).isEqualTo("2024-05-01T10:00:05Z");
        assertThat(j.path("prediction_record").path("offset").asLong())
                .isEqualTo(predictionPositions.get(i).getOffset());

        JsonNode byId = JSON.readTree(SinkTestKit.get(base + "/predictions/by-id/"
                        + java.net.URLEncoder.encode(f.getPredictionId(), java.nio.charset.StandardCharsets.UTF_8))
                .body());
        assertThat(byId.path("prediction_id").asText()).isEqualTo(f.getPredictionId());
    }

    @Test
    void listsTheSymbolsOfADatasetAndCountsAnUploadsRefusals() throws Exception {
        JsonNode symbols = JSON.readTree(
                SinkTestKit.get(base + "/datasets/" + DATASET + "/symbols").body());
        assertThat(symbols.path("symbols").toString()).isEqualTo("[\"BTC\",\"LTC\",\"XRP\"]");
        JsonNode upload =
                JSON.readTree(SinkTestKit.get(base + "/uploads/" + UPLOAD).body());
        assertThat(upload.path("rejected").asLong()).isEqualTo(3);
        assertThat(upload.path("rejected_by_reason").path("high_below_low").asLong())
                .isEqualTo(2);
        assertThat(upload.path("predictions").asLong())
                .as("the forecasts of the newest verdicts of each partition")
                .isEqualTo(400 + 300 + 395);
    }

    @Test
    void answersBadRequestsWithJsonErrorsAndNoStackTraces() throws Exception {
        HttpResponse<String> missing = SinkTestKit.get(base + "/predictions.csv");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(missing.body()).path("error").asText()).contains("dataset");
        HttpResponse<String> badDate =
                SinkTestKit.get(base + "/predictions.csv?dataset=" + DATASET + "&from=01/02/2014");
        assertThat(badDate.statusCode()).isEqualTo(400);
        assertThat(badDate.body()).contains("not a date").doesNotContain("Exception");
        assertThat(SinkTestKit.get(base + "/predictions.csv?dataset=nobody-uploaded-this")
                        .statusCode())
                .isEqualTo(404);
        assertThat(SinkTestKit.get(base + "/predictions/" + DATASET + "/BTC/1999-01-01")
                        .statusCode())
                .isEqualTo(404);
        assertThat(SinkTestKit.get(base + "/no/such/path").statusCode()).isEqualTo(404);
        Readiness.await200(base + "/health", STORED_WITHIN);
        PrometheusText metrics =
                PrometheusText.parse(SinkTestKit.get(base + "/metrics").body());
        assertThat(metrics.sum("pricecast_sink_rows_written_total", "table", "predictions_by_series"))
                .isGreaterThanOrEqualTo(1095);
        assertThat(metrics.sum("pricecast_sink_cassandra_up")).isEqualTo(1);
        assertThat(metrics.samples())
                .as("the Cassandra driver's meters, tagged with the session")
                .anySatisfy(s -> assertThat(s.name()).startsWith("cassandra_session_cql_requests"))
                .anySatisfy(s -> assertThat(s.name()).startsWith("cassandra_nodes_pool_open_connections"));
        assertThat(metrics.sumBy("pricecast_sink_consumer_consuming", "consumer")
                        .values())
                .as("every consumer consumes")
                .isNotEmpty()
                .allMatch(v -> v == 1);
        JsonNode status = JSON.readTree(SinkTestKit.get(base + "/status").body());
        assertThat(status.path("cassandra").path("up").asBoolean()).isTrue();
    }

    @Test
    void exportCommandDownloadsTheSameFileAndPrintsThePredUrl(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("preds.csv");
        int code = new CommandLine(new ExportCommand())
                .execute("--dataset", DATASET, "--out", out.toString(), "--symbols", "LTC", "--url", base);
        assertThat(code).isZero();
        assertThat(Files.readString(out))
                .isEqualTo(SinkTestKit.get(base + "/predictions.csv?dataset=" + DATASET + "&symbols=LTC")
                        .body());

        java.io.StringWriter printed = new java.io.StringWriter();
        CommandLine cli = new CommandLine(new ExportCommand());
        cli.setOut(new java.io.PrintWriter(printed));
        assertThat(cli.execute("--dataset", DATASET, "--print-url", "--from", "2014-01-01", "--url", base))
                .isZero();
        assertThat(printed.toString().strip())
                .isEqualTo(base + "/predictions.csv?dataset=" + DATASET + "&from=2014-01-01");

        assertThat(new CommandLine(new ExportCommand())
                        .execute(
                                "--dataset",
                                "nobody-uploaded-this",
                                "--out",
                                dir.resolve("none.csv").toString(),
                                "--url",
                                base))
                .isEqualTo(1);
        assertThat(dir.resolve("none.csv")).doesNotExist();
    }

    @Test
    void sanitisesSymbolsThatCouldRunAsSpreadsheetFormulas() throws Exception {
        // the formula symbols of ingest's bad-input corpus (formula-injection.csv), which ingest accepts as data
        List<String> symbols =
                List.of("=HYPERLINK(1)", "=HYPERLINK(\"http://example.invalid\",\"x\")", "+CMD", "@SUM", "-2+3");
        for (int i = 0; i < symbols.size(); i++) {
            String dataset = "sample-evil-" + i;
            PriceRecord evil = PriceRecord.newBuilder(prices.get(0))
                    .setDataset(dataset)
                    .setSymbol(symbols.get(i))
                    .setUploadId(null)
                    .build();
            LocalDate target = evil.getDate().plusDays(1);
            kit.produce(
                    kit.predictions(),
                    List.of(SampleData.prediction(
                            evil, target, 1.5, List.of(), null, SampleData.MODEL_VERSION, Instant.now())),
                    x -> x.getDataset() + "|" + x.getSymbol(),
                    Prediction::getTargetDate);
            String url = base + "/predictions.csv?dataset=" + dataset;
            String cell = "'" + symbols.get(i);
            String expected =
                    (cell.contains(",") || cell.contains("\"") ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell)
                            + ",0," + target + ",1.5,";
            await().atMost(STORED_WITHIN)
                    .untilAsserted(() ->
                            assertThat(SinkTestKit.get(url).body().lines()).contains(expected));
        }
    }

    @Test
    void everyCqlQueryOfTheSinkDocRuns() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "sink-service.md"));
        java.util.regex.Matcher blocks =
                java.util.regex.Pattern.compile("(?s)```cql\\n(.*?)```").matcher(doc);
        List<String> statements = new ArrayList<>();
        while (blocks.find()) {
            for (String part : blocks.group(1).split(";")) {
                if (!part.isBlank()) {
                    statements.add(part.strip().replace("pricecast.", kit.keyspace() + "."));
                }
            }
        }
        assertThat(statements).hasSizeGreaterThanOrEqualTo(6);
        for (String cql : statements) {
            assertThat(session.execute(cql).wasApplied()).as(cql).isTrue();
        }
        // and against the sample, the symbol listing answers what the export uses
        assertThat(session.execute(statements.get(3).replace("'live'", "'" + DATASET + "'"))
                        .all())
                .hasSize(3);
    }
}

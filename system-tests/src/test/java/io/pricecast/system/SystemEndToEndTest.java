package io.pricecast.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.avro.Accuracy;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.model.bundle.KerasImport;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.features.DailyPrice;
import io.pricecast.model.forecast.Forecast;
import io.pricecast.model.forecast.Forecaster;
import io.pricecast.model.forecast.SeriesForecast;
import io.pricecast.model.network.PlainJavaBiGru;
import io.pricecast.runtime.CqlSessions;
import io.pricecast.schemas.Topics;
import io.pricecast.schemas.serde.AvroSerdes;
import io.pricecast.stack.KafkaTools;
import io.pricecast.stack.LocalStack;
import io.pricecast.stack.PortAllocator;
import io.pricecast.stack.StackConfig;
import io.pricecast.stack.demo.SampleDemo;
import io.pricecast.testing.CommittedRecords;
import io.pricecast.testing.Directories;
import io.pricecast.testing.RequiredTools;
import io.pricecast.testing.StackTeardown;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole system as a user runs it: the launcher's local stack with the three services started from
 * their build output, the sample uploaded through the test URL (exactly what {@code ./pricecast demo}
 * does), then every recipe of the README.
 */
class SystemEndToEndTest {

    private static final String DATASET = "sample";
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final double RELATIVE_TOLERANCE = 1e-4;

    private static Path home;
    private static Map<String, String> stackEnvironment;
    private static LocalStack stack;
    private static StackConfig config;
    private static SampleDemo.Result sample;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void startTheWholeSystemAndUploadTheSample() throws IOException {
        home = Files.createTempDirectory("pricecast-system-");
        stackEnvironment = StackConfig.testEnvironment(home, new PortAllocator());
        stack = new LocalStack(
                StackConfig.fromEnvironment(stackEnvironment, home), l -> System.out.println("[system] " + l), REPO);
        config = stack.config();
        assertThat(stack.components())
                .extracting(c -> c.name())
                .contains("ingest", "scoring", "sink", "models", "predict");
        stack.up();
        sample = new SampleDemo(config, System.out).run(REPO.resolve("examples/crypto_sample.csv"), DATASET);
    }

    /**
     * The model lifecycle from the command line, on the running system, as a data scientist runs it: the Keras model
     * imported into a bundle and published; a version trained on the uploaded sample and published without being
     * promoted; the imported one promoted and rolled back (the active version ends as it began, so the other tests see
     * the same model); the sample's BTC history re-scored with the trained version, whose forecasts the sink stores.
     */
    @Test
    void theModelLifecycleCommandsImportTrainPromoteRollBackAndRescore(@TempDir Path dir) throws Exception {
        String active = activeVersion();
        Path imported = dir.resolve("cli-keras.model.zip");
        Launched importing = launcher(
                "import-keras",
                "--h5",
                REPO.resolve("model/src/main/resources/originals/ds-keras-v1/model.h5")
                        .toString(),
                "--scalers",
                REPO.resolve("model/src/main/resources/originals/ds-keras-v1/scaler.pkl")
                        .toString(),
                "--output",
                imported.toString(),
                "--version-id",
                "cli-keras",
                "--created-at",
                "2024-01-01T00:00:00Z");
        assertThat(importing.exit()).as(importing.toString()).isZero();
        assertThat(importing.output()).containsPattern("\\b[0-9a-f]{64}\\b");
        assertThat(imported).isRegularFile();
        Launched publish = launcher("models", "publish", imported.toString(), "--actor", "e2e", "--reason", "imported");
        assertThat(publish.exit()).as(publish.toString()).isZero();

        Launched train = launcher(
                "train",
                "--dataset",
                DATASET,
                "--epochs",
                "1",
                "--patience",
                "1",
                "--version-id",
                "cli-trained",
                "--promote",
                "never",
                "--actor",
                "e2e",
                "--out",
                dir.toString());
        assertThat(train.exit()).as(train.toString()).isZero();
        assertThat(versions()).contains("cli-keras", "cli-trained", active);
        assertThat(activeVersion()).as("published, not promoted").isEqualTo(active);

        Launched promote = launcher("models", "promote", "cli-keras", "--actor", "e2e", "--reason", "e2e promotion");
        assertThat(promote.exit()).as(promote.toString()).isZero();
        assertThat(activeVersion()).isEqualTo("cli-keras");
        Launched rollback = launcher("models", "rollback", "--actor", "e2e", "--reason", "e2e rollback");
        assertThat(rollback.exit()).as(rollback.toString()).isZero();
        assertThat(activeVersion()).isEqualTo(active);
        Launched list = launcher("models", "list");
        assertThat(list.output()).contains("PROMOTED", "ROLLED_BACK", "by e2e: e2e promotion", "by e2e: e2e rollback");

        // into topics of its own, so that the sink's tables (which the other checks count) stay the live system's
        String forecasts = "e2e-rescore-predictions";
        String scored = "e2e-rescore-accuracy";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(forecasts, 1, (short) 1), new NewTopic(scored, 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        Launched rescore = launcher(
                "rescore",
                "--dataset",
                DATASET,
                "--model",
                "cli-trained",
                "--symbols",
                "BTC",
                "--topic",
                forecasts,
                "--accuracy-topic",
                scored);
        assertThat(rescore.exit()).as(rescore.toString()).isZero();
        List<Prediction> rescored = committed(forecasts, Prediction.class);
        assertThat(rescored).as("one forecast per stored BTC day").hasSize(365).allSatisfy(f -> {
            assertThat(f.getModelVersion()).isEqualTo("cli-trained");
            assertThat(f.getSymbol()).isEqualTo("BTC");
        });
        assertThat(committed(scored, Accuracy.class))
                .as("every forecast whose target day is stored, scored against it")
                .hasSize(364);
    }

    /**
     * {@code ./pricecast up --monitoring} on the running system: a real Prometheus joins the stack, scrapes every
     * service and evaluates the alert rules; its figures agree with the system's own: the forecasts persisted by the
     * sink's counter are exactly the rows of {@code predictions_by_series} in Cassandra, and the lag recording rule
     * comes back to 0 for scoring and the sink once the sample is through. The teardown's {@code status}, {@code down}
     * and {@code up} then include it.
     */
    @Test
    void upWithMonitoringScrapesEveryServiceAndItsFiguresAgreeWithCassandra() throws Exception {
        RequiredTools.requireOnPath("prometheus", "Debian: apt-get install prometheus");
        Launched up = launcher("up", "--monitoring");
        assertThat(up.exit()).as(up.toString()).isZero();
        assertThat(up.output()).as(up.toString()).containsPattern("(?m)^prometheus\\s+\\d+\\s+\\d+\\s+healthy\\b");

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    Map<String, Double> scraped = promQuery("up{job=\"pricecast\"}", "service");
                    assertThat(scraped)
                            .as("up{job=pricecast} by service")
                            .containsOnlyKeys("ingest", "scoring", "sink", "models", "predict")
                            .allSatisfy((service, value) ->
                                    assertThat(value).as(service).isEqualTo(1.0));
                });
        try (CqlSession session = cqlSession()) {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        long rows = session.execute(
                                        "SELECT count(*) FROM " + config.keyspace() + ".predictions_by_series")
                                .one()
                                .getLong(0);
                        assertThat(promQuery(
                                        "sum(pricecast_sink_rows_written_total{table=\"predictions_by_series\"})",
                                        null))
                                .as("forecasts persisted, by PromQL, against Cassandra's %d rows", rows)
                                .containsExactly(Map.entry("", (double) rows));
                        assertThat(rows).isGreaterThanOrEqualTo(1_095);
                    });
        }
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(promQuery("pricecast:consumer_lag:sum", "service"))
                        .as("records waiting before each stage")
                        .containsOnlyKeys("scoring", "sink")
                        .allSatisfy(
                                (service, lag) -> assertThat(lag).as(service).isZero()));

        JsonNode rules = getJson(prometheusUrl() + "/api/v1/rules");
        List<String> alerts = new ArrayList<>();
        rules.path("data")
                .path("groups")
                .forEach(g -> g.path("rules").forEach(r -> {
                    assertThat(r.path("health").asText())
                            .as(r.path("name").asText())
                            .isEqualTo("ok");
                    if (r.path("type").asText().equals("alerting")) {
                        alerts.add(r.path("name").asText());
                    }
                }));
        assertThat(alerts)
                .containsExactlyInAnyOrder(
                        "PricecastServiceDown",
                        "PricecastConsumerLagGrowing",
                        "PricecastDeadLetters",
                        "PricecastModelWorseThanNaive",
                        "PricecastDailyCloseIncomplete");
    }

    private static String prometheusUrl() {
        return "http://127.0.0.1:" + config.prometheusPort();
    }

    /**
     * @param promql an instant query
     * @param label  the label that tells the series apart, or null for a single series
     * @return each series' value by that label's value ("" for null)
     */
    private static Map<String, Double> promQuery(String promql, String label) throws Exception {
        JsonNode answer = getJson(
                prometheusUrl() + "/api/v1/query?query=" + java.net.URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertThat(answer.path("status").asText()).as(answer.toString()).isEqualTo("success");
        Map<String, Double> values = new HashMap<>();
        for (JsonNode series : answer.path("data").path("result")) {
            String key = label == null ? "" : series.path("metric").path(label).asText();
            assertThat(values.put(key, series.path("value").get(1).asDouble()))
                    .as("one series per %s in %s", label, answer)
                    .isNull();
        }
        return values;
    }

    private static CqlSession cqlSession() {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", config.cassandraPort()))
                .withLocalDatacenter("datacenter1")
                .withConfigLoader(CqlSessions.driverConfig())
                .build();
    }

    /** Every committed record of a topic, from its start to the end offsets of now. */
    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> committed(String topic, Class<T> type) {
        AvroSerdes serdes = new AvroSerdes(AvroSerdes.Kind.APICURIO, config.registryUrl());
        Properties kafka = new Properties();
        kafka.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        List<T> out = new ArrayList<>();
        try (Deserializer<T> values = serdes.serde(type, false).deserializer()) {
            CommittedRecords.forEach(
                    kafka, topic, new ByteArrayDeserializer(), values, Duration.ofSeconds(30), r -> out.add(r.value()));
        }
        return out;
    }

    private static String activeVersion() throws Exception {
        for (JsonNode v : modelsJson().path("versions")) {
            if (v.path("active").asBoolean()) {
                return v.path("version").asText();
            }
        }
        throw new AssertionError("no active version in " + modelsJson());
    }

    private static List<String> versions() throws Exception {
        List<String> out = new ArrayList<>();
        modelsJson().path("versions").forEach(v -> out.add(v.path("version").asText()));
        return out;
    }

    private static JsonNode modelsJson() throws Exception {
        Launched list = launcher("models", "list", "--json");
        assertThat(list.exit()).as(list.toString()).isZero();
        return JSON.readTree(list.output());
    }

    /**
     * What {@code ./pricecast status|logs|up|down} promise, on the running system: status and logs name every part;
     * after a kill -9 of the sink, status names it stopped and up starts that part alone again; down leaves no process;
     * up after down brings the system back with its data. The data checked: the pred URL's CSV of the sample
     * (Cassandra, served by the sink) is the same bytes before the kill, after it and after down and up, and so are the
     * forecasts on the {@code predictions} topic (Kafka) before down and after up. (A kill -9 of Cassandra itself,
     * under load, is the fault suite's.)
     */
    @AfterAll
    static void theLaunchersStatusLogsUpAndDownActOnTheRunningSystemKeepItsDataAndLeaveNoProcess() throws Exception {
        try {
            if (stack == null) {
                return;
            }
            assertEveryPart(launcher("status"), 0, "\\d+", "healthy");
            Launched logs = launcher("logs", "sink", "-n", "5");
            assertThat(logs.exit()).as(logs.toString()).isZero();
            assertThat(logs.output().lines()).as(logs.toString()).hasSize(5);
            String predictions = predUrlCsv();
            assertThat(csv(predictions)).hasSize(1_095);

            ProcessHandle sink = stack.processes("sink").get(0);
            long cassandraBefore = stack.processes("cassandra").get(0).pid();
            sink.destroyForcibly();
            assertThat(sink.onExit().get(60, TimeUnit.SECONDS).isAlive()).isFalse();
            Launched killed = launcher("status");
            assertThat(killed.exit()).as(killed.toString()).isEqualTo(3);
            assertThat(killed.output()).as(killed.toString()).containsPattern("(?m)^sink\\s+-\\s+\\d+\\s+stopped\\b");
            upAndHealthy();
            assertThat(stack.processes("cassandra").get(0).pid())
                    .as("up starts only the stopped part")
                    .isEqualTo(cassandraBefore);
            assertThat(predUrlCsv()).as("the pred URL after the sink's kill -9").isEqualTo(predictions);

            List<Prediction> forecasts = committed(Topics.PREDICTIONS.name(), Prediction.class);
            assertThat(forecasts).hasSizeGreaterThanOrEqualTo(1_095);
            downLeavingNothing();
            upAndHealthy();
            assertThat(predUrlCsv()).as("the pred URL after down and up").isEqualTo(predictions);
            assertThat(committed(Topics.PREDICTIONS.name(), Prediction.class))
                    .as("the predictions topic after down and up")
                    .isEqualTo(forecasts);
            downLeavingNothing();
        } finally {
            if (stack != null) {
                // a stack of what the home holds now: Prometheus too, since up --monitoring
                StackTeardown.downLeavingNothing(
                        new LocalStack(config, l -> System.out.println("[system] " + l), REPO));
            }
            if (home != null) {
                Directories.deleteTree(home);
            }
        }
    }

    private static void upAndHealthy() throws Exception {
        Launched up = launcher("up");
        assertThat(up.exit()).as(up.toString()).isZero();
        assertEveryPart(launcher("status"), 0, "\\d+", "healthy");
    }

    private static void downLeavingNothing() throws Exception {
        Launched down = launcher("down");
        assertThat(down.exit()).as(down.toString()).isZero();
        StackTeardown.assertNothingLeft(stack);
        assertEveryPart(launcher("status"), 3, "-", "stopped");
    }

    /** Every component of the stack has a status line with this pid pattern and state, and status this exit code. */
    private static void assertEveryPart(Launched status, int exit, String pid, String state) {
        assertThat(status.exit()).as(status.toString()).isEqualTo(exit);
        for (var c : stack.components()) {
            assertThat(status.output())
                    .as(c.name() + " in " + status)
                    .containsPattern("(?m)^" + c.name() + "\\s+" + pid + "\\s+\\d+\\s+" + state + "\\b");
        }
    }

    private static String predUrlCsv() throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(sample.predUrl())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    /** A finished launcher command: its exit status, what it printed on stdout, and on stderr. */
    private record Launched(int exit, String output, String errors) {
        @Override
        public String toString() {
            return "exit " + exit + "\n" + output + "\n" + errors;
        }
    }

    /** Runs {@code ./pricecast ARGS} from its build output against this test's stack, with a bounded wait. */
    private static Launched launcher(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(REPO.resolve("pricecast").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile());
        pb.environment().putAll(stackEnvironment);
        pb.environment().put("PRICECAST_NO_BUILD", "1");
        // where the model commands find the system (the stack commands read the ports above)
        pb.environment().put("PRICECAST_KAFKA_BOOTSTRAP", config.kafkaBootstrap());
        pb.environment().put("PRICECAST_REGISTRY_URL", config.registryUrl());
        pb.environment().put("PRICECAST_CASSANDRA_CONTACT", "127.0.0.1:" + config.cassandraPort());
        pb.environment().put("PRICECAST_KEYSPACE", config.keyspace());
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> output = readAll(p.getInputStream());
        CompletableFuture<String> errors = readAll(p.getErrorStream());
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("./pricecast " + String.join(" ", args) + ": no answer within 300 s");
        }
        return new Launched(p.exitValue(), output.get(10, TimeUnit.SECONDS), errors.get(10, TimeUnit.SECONDS));
    }

    private static CompletableFuture<String> readAll(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void uploadOfTheSampleGivesTheReferencePredictionsAtThePredUrl() throws Exception {
        assertThat(sample.total()).isEqualTo(1_095);
        assertThat(sample.accepted()).isEqualTo(1_095);
        assertThat(sample.rejected()).isZero();
        assertThat(sample.predicted()).isEqualTo(1_095);

        HttpResponse<String> export = HTTP.send(
                HttpRequest.newBuilder(URI.create(sample.predUrl())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(export.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        List<CSVRecord> rows = csv(export.body());
        assertThat(rows).hasSize(1_095);
        assertThat(rows.get(0).getParser().getHeaderNames())
                .containsExactly("symbol", "index", "date", "pred_open", "val_open");

        Map<String, CSVRecord> actual = new HashMap<>();
        Map<String, Integer> nextIndex = new HashMap<>();
        for (CSVRecord r : rows) {
            assertThat(Integer.parseInt(r.get("index")))
                    .as("index counts 0.. per symbol")
                    .isEqualTo(nextIndex.merge(r.get("symbol"), 1, Integer::sum) - 1);
            actual.put(r.get("symbol") + "|" + r.get("date"), r);
        }
        List<CSVRecord> expected;
        try (InputStream in = SystemEndToEndTest.class.getResourceAsStream("/crypto_sample_expected_preds.csv")) {
            expected = csv(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertThat(expected).hasSize(1_092);
        for (CSVRecord e : expected) {
            CSVRecord a = actual.get(e.get("symbol") + "|" + e.get("date"));
            assertThat(a)
                    .as("forecast of %s for %s", e.get("symbol"), e.get("date"))
                    .isNotNull();
            double want = Double.parseDouble(e.get("pred_open"));
            assertThat(Double.parseDouble(a.get("pred_open")))
                    .isCloseTo(want, within(Math.abs(want) * RELATIVE_TOLERANCE));
            assertThat(Double.parseDouble(a.get("val_open"))).isEqualTo(Double.parseDouble(e.get("val_open")));
        }
        assertThat(rows)
                .filteredOn(r -> r.get("val_open").isEmpty())
                .extracting(r -> r.get("symbol"))
                .as("one newest forecast per symbol, its actual still unknown")
                .containsExactlyInAnyOrder("BTC", "LTC", "XRP");
    }

    @Test
    void lineageOfAForecastRederivesItOfflineFromTheOffsetsItNames() throws Exception {
        JsonNode lineage = getJson(sinkUrl() + "/predictions/" + DATASET + "/BTC/2013-09-20");
        assertThat(lineage.path("window")).hasSize(5);
        assertThat(lineage.path("base_record_source").path("upload_id").asText())
                .isEqualTo(sample.uploadId());
        assertThat(lineage.path("base_record_source").path("file_line").asLong())
                .isPositive();
        assertThat(lineage.path("code_versions").path("scoring").asText()).isNotBlank();

        List<JsonNode> refs = new ArrayList<>();
        if (!lineage.path("previous").isNull()) {
            refs.add(lineage.path("previous"));
        }
        lineage.path("window").forEach(refs::add);
        List<DailyPrice> rows = new ArrayList<>();
        for (JsonNode ref : refs) {
            PriceRecord p = readPriceRecord(
                    ref.path("topic").asText(),
                    ref.path("partition").asInt(),
                    ref.path("offset").asLong());
            assertThat(p.getDate()).isEqualTo(LocalDate.parse(ref.path("date").asText()));
            rows.add(new DailyPrice(
                    p.getDate(), p.getOpen(), p.getHigh(), p.getLow(), p.getClose(), p.getVolume(), p.getMarket()));
        }

        ModelBundle bundle;
        try (InputStream in = KerasImport.class.getResourceAsStream(KerasImport.FIRST_BUNDLE_RESOURCE)) {
            bundle = ModelBundle.read(in, KerasImport.FIRST_BUNDLE_RESOURCE);
        }
        assertThat(lineage.path("model").path("sha256").asText()).isEqualTo(bundle.contentSha256());
        SeriesForecast offline = new Forecaster(bundle, new PlainJavaBiGru(bundle.weights())).forecast("BTC", rows);
        List<Forecast> forecasts = ((SeriesForecast.Forecasts) offline).forecasts();
        Forecast last = forecasts.get(forecasts.size() - 1);
        assertThat(last.targetDate()).isEqualTo(LocalDate.parse("2013-09-20"));
        double streamed = lineage.path("pred_open").asDouble();
        assertThat(last.predictedOpen()).isCloseTo(streamed, within(Math.abs(streamed) * RELATIVE_TOLERANCE));
    }

    @Test
    void consoleProducerCsvLineAndJsonRecordEachYieldAPrediction() throws Exception {
        Process producer = KafkaTools.processBuilder(
                        config, "kafka-console-producer", List.of("--topic", Topics.PRICES_RAW.name()), null)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("producer.out").toFile())
                .start();
        try (OutputStream stdin = producer.getOutputStream()) {
            stdin.write(("BTC,2030-01-01,13625.0,15444.6,13163.6,14982.1,16846600192,228775000000\n"
                            + "{\"dataset\":\"console-e2e\",\"symbol\":\"LTC\",\"date\":\"2030-01-01\",\"open\":231.7,\"high\":258.4,"
                            + "\"low\":226.0,\"close\":255.0,\"volume\":1.0,\"market\":2.0}\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        assertThat(producer.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(producer.exitValue())
                .as(Files.readString(home.resolve("producer.out")))
                .isZero();

        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            assertThat(status(sinkUrl() + "/predictions/live/BTC/2030-01-02")).isEqualTo(200);
            assertThat(status(sinkUrl() + "/predictions/console-e2e/LTC/2030-01-02"))
                    .isEqualTo(200);
        });
        JsonNode lineage = getJson(sinkUrl() + "/predictions/live/BTC/2030-01-02");
        assertThat(lineage.path("base_record_source").path("raw_topic").asText())
                .isEqualTo(Topics.PRICES_RAW.name());
    }

    @Test
    void consoleConsumerWithTheFormatterPrintsPredictionsAsReadableJson() throws Exception {
        Path out = home.resolve("consumer.out");
        Process consumer = KafkaTools.processBuilder(
                        config,
                        "kafka-console-consumer",
                        List.of(
                                "--topic",
                                Topics.PREDICTIONS.name(),
                                "--from-beginning",
                                "--max-messages",
                                "2",
                                "--timeout-ms",
                                "60000",
                                "--formatter",
                                "io.pricecast.schemas.console.AvroJsonFormatter"),
                        toolsClasspath())
                .redirectError(home.resolve("consumer.err").toFile())
                .redirectOutput(out.toFile())
                .start();
        assertThat(consumer.waitFor(120, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).as(Files.readString(home.resolve("consumer.err"))).hasSize(2);
        for (String line : lines) {
            JsonNode record = JSON.readTree(line);
            assertThat(record.path("topic").asText()).isEqualTo(Topics.PREDICTIONS.name());
            assertThat(record.path("value").path("prediction_id").asText()).isNotBlank();
            assertThat(record.path("value").path("window").isArray()).isTrue();
            assertThat(record.path("value").path("model_sha256").asText()).hasSize(64);
        }
    }

    @Test
    void everyCqlQueryOfTheReadmeRunsAndFindsTheSample() throws IOException {
        List<String> statements = ReadmeCql.statements(REPO.resolve("README.md"));
        assertThat(statements).isNotEmpty();
        try (CqlSession session = cqlSession()) {
            for (String cql : statements) {
                assertThat(session.execute(cql).all()).as(cql).isNotEmpty();
            }
        }
    }

    /** The chart page in headless Chromium, on this class's stack and sample. */
    @Nested
    class ChartPageInHeadlessChromium extends ChartPageBrowserChecks {
        @Override
        String sinkUrl() {
            return SystemEndToEndTest.sinkUrl();
        }

        @Override
        String dataset() {
            return DATASET;
        }
    }

    /** The history rules and the write path, on this class's stack. */
    @Nested
    class HistoryAndWritePath extends HistoryAndWritePathChecks {
        @Override
        StackConfig config() {
            return config;
        }
    }

    /** The README's Kafka Connect recipe on this class's stack and its predictions topic. */
    @Nested
    class KafkaConnect extends KafkaConnectChecks {
        @Override
        StackConfig config() {
            return config;
        }

        @Override
        List<Prediction> forecasts() {
            return committed(Topics.PREDICTIONS.name(), Prediction.class);
        }
    }

    /** The predict service against what the stream made of the sample, on this class's stack. */
    @Nested
    class PredictEndpoint extends PredictEndpointChecks {
        @Override
        LocalStack stack() {
            return stack;
        }

        @Override
        String dataset() {
            return DATASET;
        }

        @Override
        String predUrl() {
            return sample.predUrl();
        }
    }

    private static String toolsClasspath() throws IOException {
        Path schemas = REPO.resolve("schemas/target");
        return schemas.resolve("classes")
                + java.io.File.pathSeparator
                + Files.readString(schemas.resolve("runtime.classpath")).trim();
    }

    private static PriceRecord readPriceRecord(String topic, int partition, long offset) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        AvroSerdes serdes = new AvroSerdes(AvroSerdes.Kind.APICURIO, config.registryUrl());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
                Deserializer<PriceRecord> values =
                        serdes.serde(PriceRecord.class, false).deserializer()) {
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).records(tp).stream()
                        .filter(r -> r.offset() == offset)
                        .forEach(found::add);
                return !found.isEmpty();
            });
            return values.deserialize(topic, found.get(0).value());
        }
    }

    private static String sinkUrl() {
        return "http://127.0.0.1:" + config.sinkPort();
    }

    private static int status(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static JsonNode getJson(String url) throws Exception {
        HttpResponse<String> r =
                HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + " -> " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<CSVRecord> csv(String text) throws IOException {
        return CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new StringReader(text))
                .getRecords();
    }
}

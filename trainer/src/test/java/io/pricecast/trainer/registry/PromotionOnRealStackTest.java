package io.pricecast.trainer.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pricecast.avro.ModelEvent;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RecordSource;
import io.pricecast.model.bundle.KerasImport;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.features.DailyPrice;
import io.pricecast.model.serving.Engine;
import io.pricecast.runtime.KafkaAccess;
import io.pricecast.runtime.http.HttpGuard;
import io.pricecast.runtime.metrics.ServiceMetrics;
import io.pricecast.scoring.ScoringConfig;
import io.pricecast.scoring.ScoringService;
import io.pricecast.scoring.model.ModelRegistryView;
import io.pricecast.scoring.serde.RecordSerdes;
import io.pricecast.scoring.topology.ScoringTopology;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.StackEndpoints;
import io.pricecast.testing.UniqueNames;
import io.pricecast.trainer.TrainingJob;
import io.pricecast.trainer.data.SyntheticPrices;
import io.pricecast.trainer.data.TrainingData;
import io.pricecast.trainer.fit.Trainer;
import io.pricecast.trainer.fit.TrainingConfig;
import io.pricecast.trainer.http.ModelsHttp;
import io.pricecast.trainer.http.TokenCheck;
import io.pricecast.trainer.schedule.Retraining;
import io.pricecast.trainer.schedule.WeeklySchedule;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle on a real broker, registry and Cassandra: a model trained on synthetic prices is published and
 * promoted over HTTP, the running scoring application switches to it without restart, a rollback switches it
 * back, the audit trail lists both events, and missing or stale tokens are refused.
 */
@ExtendWith(RealStack.class)
class PromotionOnRealStackTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String DATASET = "lifecycle";
    private static final int TRAINING_DAYS = 120;
    private static final String VERSION = "trained-test-v1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void promotedVersionScoresNewRecordsAndRollbackSwitchesBackWithBothEventsAudited(StackEndpoints stack)
            throws Exception {
        String prices = stack.createTopic("prices", 2, Map.of());
        String predictions = stack.createTopic("predictions", 2, Map.of());
        String rejected = stack.createTopic("rejected", 1, Map.of());
        String accepted = stack.createTopic("accepted", 2, Map.of());
        String accuracy = stack.createTopic("accuracy", 2, Map.of());
        String verdicts = stack.createTopic("verdicts", 1, Map.of());
        String models = stack.createTopic(
                "models",
                1,
                Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                        "16842752"));
        Map<String, List<DailyPrice>> series = new TreeMap<>();
        Map<String, List<DailyPrice>> synthetic =
                SyntheticPrices.generate(2, TRAINING_DAYS + 2, LocalDate.of(2024, 1, 1), 5);
        series.put("BTC", synthetic.get("S0000"));
        series.put("LTC", synthetic.get("S0001"));
        Map<String, List<DailyPrice>> training = new TreeMap<>();
        series.forEach((s, rows) -> training.put(s, rows.subList(0, TRAINING_DAYS)));

        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "first-secret");
        ScoringConfig scoringConfig = new ScoringConfig(
                UniqueNames.topic("scoring-app"),
                KafkaAccess.plaintext(stack.kafkaBootstrap()),
                dir.resolve("scoring"),
                prices,
                predictions,
                accepted,
                accuracy,
                verdicts,
                rejected,
                models,
                RecordSerdes.of(stack.serdes()),
                "code-test",
                Engine.JAVA,
                1,
                ScoringConfig.DEFAULT_FLUSH_INTERVAL,
                ScoringConfig.DEFAULT_VERDICT_INTERVAL,
                1,
                0,
                Duration.ofMillis(100),
                0,
                Duration.ofMillis(10),
                Duration.ZERO,
                ScoringConfig.DEFAULT_MAX_POLL_RECORDS,
                ScoringConfig.DEFAULT_COMPRESSION);
        try (ScoringService scoring = ScoringService.start(scoringConfig, 0);
                ModelRegistry registry = new ModelRegistry(
                        stack.kafkaBootstrap(),
                        models,
                        stack.serdes().serde(ModelEvent.class, false),
                        Clock.systemUTC());
                Retraining retraining = new Retraining(
                        WeeklySchedule.parse("off"),
                        childEnv(stack, models),
                        DATASET,
                        TrainingJob.Promotion.NEVER,
                        dir,
                        Clock.systemUTC());
                ModelsHttp http = new ModelsHttp(
                        registry,
                        new TokenCheck(Optional.of(tokenFile), Optional.empty()),
                        retraining,
                        HttpGuard.fromEnvironment(Map.of()),
                        ServiceMetrics.forService("models"))) {
            String base = "http://127.0.0.1:" + http.start(0);
            ReadOnlyKeyValueStore<String, ModelEvent> scoringRegistry = awaitStore(scoring);

            // history scored by the built-in model
            produce(stack, prices, series, 0, TRAINING_DAYS);
            List<Prediction> scored = new ArrayList<>();
            try (KafkaConsumer<String, Prediction> reader = reader(stack, predictions)) {
                awaitPredictions(reader, scored, 2 * TRAINING_DAYS);
                assertThat(scored).extracting(Prediction::getModelVersion).containsOnly(KerasImport.FIRST_VERSION_ID);

                // train on the same history, publish (no token needed on the registry client), promote over HTTP
                TrainingJob.Report report = TrainingJob.run(
                        new TrainingData("test", training, List.of()),
                        new TrainingConfig(3, 32, 3e-3f, 3, 2, 10, 10, 30, 5000),
                        VERSION,
                        registry,
                        dir,
                        TrainingJob.Promotion.NEVER,
                        "trainer-test",
                        "code-test",
                        Trainer.Progress.silent());
                ModelBundle trained = report.outcome().bundle();
                assertThat(report.published()).isTrue();
                assertThat(report.promotion())
                        .as("policy never: not promoted by itself")
                        .isEmpty();

                assertThat(post(
                                        base + "/models/" + VERSION + "/promote",
                                        null,
                                        "{\"actor\":\"alice\",\"reason\":\"x\"}")
                                .statusCode())
                        .as("no token")
                        .isEqualTo(401);
                HttpResponse<String> promoted = post(
                        base + "/models/" + VERSION + "/promote",
                        "first-secret",
                        "{\"actor\":\"alice\",\"reason\":\"better held-out MAD\"}");
                assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
                await().atMost(TIMEOUT).until(() -> active(scoringRegistry).equals(VERSION));

                produce(stack, prices, series, TRAINING_DAYS, TRAINING_DAYS + 1);
                Prediction afterPromotion = awaitNext(reader, scored);
                assertThat(afterPromotion.getModelVersion()).isEqualTo(VERSION);
                assertThat(afterPromotion.getModelSha256()).isEqualTo(trained.contentSha256());

                // the token is rotated: the old one is stale
                Files.writeString(tokenFile, "second-secret");
                assertThat(post(base + "/models/rollback", "first-secret", "{\"actor\":\"bob\",\"reason\":\"x\"}")
                                .statusCode())
                        .as("stale token")
                        .isEqualTo(401);
                HttpResponse<String> rolledBack = post(
                        base + "/models/rollback", "second-secret", "{\"actor\":\"bob\",\"reason\":\"drift on LTC\"}");
                assertThat(rolledBack.statusCode()).as(rolledBack.body()).isEqualTo(200);
                await().atMost(TIMEOUT).until(() -> active(scoringRegistry).equals(KerasImport.FIRST_VERSION_ID));

                produce(stack, prices, series, TRAINING_DAYS + 1, TRAINING_DAYS + 2);
                Prediction afterRollback = awaitNext(reader, scored);
                assertThat(afterRollback.getModelVersion()).isEqualTo(KerasImport.FIRST_VERSION_ID);
            }

            JsonNode audit = JSON.readTree(HTTP.send(
                            HttpRequest.newBuilder(URI.create(base + "/models/audit"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            assertThat(audit).hasSize(2);
            assertThat(audit.get(0).path("kind").asText()).isEqualTo("PROMOTED");
            assertThat(audit.get(0).path("from").asText()).isEqualTo(KerasImport.FIRST_VERSION_ID);
            assertThat(audit.get(0).path("to").asText()).isEqualTo(VERSION);
            assertThat(audit.get(0).path("actor").asText()).isEqualTo("alice");
            assertThat(audit.get(0).path("reason").asText()).isEqualTo("better held-out MAD");
            assertThat(audit.get(1).path("kind").asText()).isEqualTo("ROLLED_BACK");
            assertThat(audit.get(1).path("from").asText()).isEqualTo(VERSION);
            assertThat(audit.get(1).path("to").asText()).isEqualTo(KerasImport.FIRST_VERSION_ID);
            assertThat(audit.get(1).path("actor").asText()).isEqualTo("bob");

            JsonNode shown = JSON.readTree(HTTP.send(
                            HttpRequest.newBuilder(URI.create(base + "/models/" + VERSION))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            assertThat(shown.path("training_record")
                            .path("training_data")
                            .path("row_count")
                            .asLong())
                    .isEqualTo(2L * TRAINING_DAYS);
            assertThat(shown.path("training_record").path("held_out_metrics").has("mad_naive"))
                    .isTrue();
            assertThat(registry.read().audit()).hasSize(2);

            // an on-demand retraining that fails (its keyspace does not exist) publishes and promotes nothing
            assertThat(post(base + "/train", null, "{\"actor\":\"carol\",\"reason\":\"x\"}")
                            .statusCode())
                    .isEqualTo(401);
            assertThat(post(base + "/train", "second-secret", "{\"actor\":\"carol\",\"reason\":\"on demand\"}")
                            .statusCode())
                    .isEqualTo(202);
            await().atMost(TIMEOUT)
                    .until(() -> JSON.readTree(HTTP.send(
                                            HttpRequest.newBuilder(URI.create(base + "/train"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .body())
                            .path("last")
                            .path("state")
                            .asText()
                            .equals("failed"));
            JsonNode failed = JSON.readTree(HTTP.send(
                                    HttpRequest.newBuilder(URI.create(base + "/train"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body())
                    .path("last");
            assertThat(failed.path("error").asText()).contains("no_such_keyspace");
            RegistryState after = registry.read();
            assertThat(after.published()).containsOnlyKeys(VERSION);
            assertThat(after.activeVersion()).isEqualTo(KerasImport.FIRST_VERSION_ID);
        }
    }

    /** The training child's settings: this stack, a keyspace that does not exist (so the run fails). */
    private static Map<String, String> childEnv(StackEndpoints stack, String models) {
        return Map.of(
                "PRICECAST_KAFKA_BOOTSTRAP",
                stack.kafkaBootstrap(),
                "PRICECAST_REGISTRY_URL",
                stack.registryUrl(),
                "PRICECAST_CASSANDRA_CONTACT",
                stack.cassandra().getHostString() + ":" + stack.cassandra().getPort(),
                "PRICECAST_CASSANDRA_DC",
                stack.localDatacenter(),
                "PRICECAST_KEYSPACE",
                "no_such_keyspace",
                "PRICECAST_MODELS_TOPIC",
                models,
                "PRICECAST_TRAIN_HEAP",
                "256m");
    }

    private static ReadOnlyKeyValueStore<String, ModelEvent> awaitStore(ScoringService scoring) {
        return await().atMost(TIMEOUT)
                .ignoreExceptions()
                .until(
                        () -> scoring.streams()
                                .store(StoreQueryParameters.fromNameAndType(
                                        ScoringTopology.MODELS_STORE, QueryableStoreTypes.keyValueStore())),
                        store -> store != null);
    }

    private static String active(ReadOnlyKeyValueStore<String, ModelEvent> store) {
        ModelEvent e = store.get(ModelRegistryView.ACTIVE_KEY);
        return e == null ? KerasImport.FIRST_VERSION_ID : e.getVersion();
    }

    private static HttpResponse<String> post(String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void produce(
            StackEndpoints stack, String topic, Map<String, List<DailyPrice>> series, int from, int to)
            throws Exception {
        Properties p = stack.kafkaProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, PriceRecord> producer = new KafkaProducer<>(
                p,
                new StringSerializer(),
                stack.serdes().serde(PriceRecord.class, false).serializer())) {
            for (int day = from; day < to; day++) {
                for (Map.Entry<String, List<DailyPrice>> e : series.entrySet()) {
                    DailyPrice r = e.getValue().get(day);
                    PriceRecord record = PriceRecord.newBuilder()
                            .setDataset(DATASET)
                            .setSymbol(e.getKey())
                            .setSlug(null)
                            .setName(null)
                            .setDate(r.date())
                            .setOpen(r.open())
                            .setHigh(r.high())
                            .setLow(r.low())
                            .setClose(r.close())
                            .setVolume(r.volume())
                            .setMarket(r.market())
                            .setSource(RecordSource.UPLOAD)
                            .setUploadId("upload-test")
                            .setFileLine((long) day + 2)
                            .setFileSha256(null)
                            .setRawTopic(null)
                            .setRawPartition(null)
                            .setRawOffset(null)
                            .setIngestVersion("ingest-test")
                            .setReceivedAt(Instant.now())
                            .build();
                    producer.send(new ProducerRecord<>(topic, DATASET + "|" + e.getKey(), record))
                            .get();
                }
            }
        }
    }

    private static KafkaConsumer<String, Prediction> reader(StackEndpoints stack, String topic) {
        Properties c = stack.kafkaProperties();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, UniqueNames.topic("reader"));
        c.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, Prediction> consumer = new KafkaConsumer<>(
                c,
                new StringDeserializer(),
                stack.serdes().serde(Prediction.class, false).deserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static void awaitPredictions(KafkaConsumer<String, Prediction> reader, List<Prediction> sink, int count) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(1)).until(() -> {
            for (ConsumerRecord<String, Prediction> r : reader.poll(Duration.ofMillis(100))) {
                sink.add(r.value());
            }
            return sink.size() >= count;
        });
    }

    /** Waits for the two predictions of the day just produced and returns one. */
    private static Prediction awaitNext(KafkaConsumer<String, Prediction> reader, List<Prediction> sink) {
        int before = sink.size();
        awaitPredictions(reader, sink, before + 2);
        assertThat(sink.get(before).getModelVersion())
                .isEqualTo(sink.get(before + 1).getModelVersion());
        return sink.get(sink.size() - 1);
    }
}

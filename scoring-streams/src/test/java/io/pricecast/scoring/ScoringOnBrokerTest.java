package io.pricecast.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;
import static org.awaitility.Awaitility.await;

import io.pricecast.avro.InputRef;
import io.pricecast.avro.ModelEvent;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.model.bundle.KerasImport;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.features.FeatureSpec;
import io.pricecast.model.serving.Engine;
import io.pricecast.runtime.metrics.PrometheusText;
import io.pricecast.scoring.model.ModelRegistryView;
import io.pricecast.scoring.serde.RecordSerdes;
import io.pricecast.scoring.topology.ScoringTopology;
import io.pricecast.testing.Readiness;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.StackEndpoints;
import io.pricecast.testing.UniqueNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RealStack.class)
class ScoringOnBrokerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final double RELATIVE_TOLERANCE_PERCENT = 1e-4 * 100;
    /** Rows of each symbol scored by the first model; later rows by the promoted one. */
    private static final int SWITCH_INDEX = 200;

    private static final String SECOND_VERSION = "shifted-v2";
    private static final float SHIFT = 0.5f;
    private static final int PARTITIONS = 3;
    private static final int MAX_BATCH = 256;

    @TempDir
    Path stateDir;

    @Test
    void sampleIsScoredExactlyOnceThroughKafkaAndAPromotedModelTakesOverMidStream(StackEndpoints stack)
            throws Exception {
        TestTopics topics = TestTopics.create(stack, PARTITIONS);
        ScoringConfig config = TestData.config(
                UniqueNames.topic("scoring-app"),
                stack.kafkaBootstrap(),
                stateDir,
                topics,
                RecordSerdes.of(stack.serdes()),
                "code-test",
                MAX_BATCH,
                Engine.AUTO);
        KafkaIo io = new KafkaIo(stack);
        List<PriceRecord> sample = TestData.sample("e2e", "upload-e2e");
        Map<String, List<PriceRecord>> bySymbol = TestData.bySymbol(sample);
        List<PriceRecord> first = new ArrayList<>();
        List<PriceRecord> second = new ArrayList<>();
        for (List<PriceRecord> rows : bySymbol.values()) {
            first.addAll(rows.subList(0, SWITCH_INDEX));
            second.addAll(rows.subList(SWITCH_INDEX, rows.size()));
        }
        ModelBundle shifted = TestModels.shifted(SECOND_VERSION, SHIFT);
        Map<PriceRecord, RecordMetadata> positions = new HashMap<>();
        List<ConsumerRecord<String, Prediction>> out;

        try (ScoringService service = ScoringService.start(config, 0)) {
            Readiness.await200("http://127.0.0.1:" + service.httpPort() + "/health", TIMEOUT);

            produce(io, topics.input(), first, positions);
            List<ConsumerRecord<String, Prediction>> firstOut =
                    io.readCommitted(topics.predictions(), Prediction.class, first.size(), TIMEOUT);
            assertThat(firstOut).hasSize(first.size());

            io.produce(
                    topics.models(),
                    ModelEvent.class,
                    List.of(ModelRegistryView.versionKey(SECOND_VERSION), ModelRegistryView.ACTIVE_KEY),
                    List.of(
                            TestModels.published(shifted, shifted.contentSha256()),
                            TestModels.promoted(SECOND_VERSION, shifted.contentSha256())));
            ReadOnlyKeyValueStore<String, ModelEvent> registry = service.streams()
                    .store(StoreQueryParameters.fromNameAndType(
                            ScoringTopology.MODELS_STORE, QueryableStoreTypes.keyValueStore()));
            await().atMost(TIMEOUT).until(() -> registry.get(ModelRegistryView.ACTIVE_KEY) != null);

            produce(io, topics.input(), second, positions);
            out = io.readCommitted(topics.predictions(), Prediction.class, sample.size(), TIMEOUT);

            HttpClient http = HttpClient.newHttpClient();
            URI metrics = URI.create("http://127.0.0.1:" + service.httpPort() + "/metrics");
            // Kafka Streams' own metrics, every one with its tags (thread, task, processor node, topic, partition);
            // the binding looks for the ones created since (a partition's lag) every 5 s
            PrometheusText scraped = await().atMost(TIMEOUT)
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> PrometheusText.parse(http.send(
                                            HttpRequest.newBuilder(metrics).build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .body()),
                            m -> m.sumBy("kafka_consumer_fetch_manager_records_lag", "topic")
                                    .containsKey(topics.input()));
            assertThat(scraped.sum("kafka_stream_thread_process_total")).isPositive();
            assertThat(scraped.has("kafka_stream_processor_node_record_e2e_latency_max"))
                    .isTrue();
            assertThat(scraped.sum("pricecast_forecasts_scored_total")).isPositive();
            assertThat(scraped.sumBy("pricecast_model_active", "model_version")).isEqualTo(Map.of(SECOND_VERSION, 1.0));
        }

        assertThat(out).hasSize(sample.size());
        Map<String, Prediction> byBase = new HashMap<>();
        for (ConsumerRecord<String, Prediction> r : out) {
            Prediction p = r.value();
            assertThat(r.key()).isEqualTo("e2e|" + p.getSymbol());
            assertThat(byBase.put(p.getSymbol() + "|" + p.getBaseDate(), p))
                    .as("duplicate of %s", p.getPredictionId())
                    .isNull();
        }
        ModelBundle firstBundle = TestModels.first();
        for (TestData.Expected e : TestData.expected()) {
            List<PriceRecord> rows = bySymbol.get(e.symbol());
            Prediction p = byBase.get(e.symbol() + "|" + rows.get(e.index()).getDate());
            if (e.index() < SWITCH_INDEX) {
                assertThat(p.getModelVersion()).isEqualTo(KerasImport.FIRST_VERSION_ID);
                assertThat(p.getPredOpen()).isCloseTo(e.predOpen(), withPercentage(RELATIVE_TOLERANCE_PERCENT));
            } else {
                double scale = firstBundle
                        .scalers()
                        .forSymbol(e.symbol())
                        .orElseThrow()
                        .scale(FeatureSpec.TARGET_INDEX);
                assertThat(p.getModelVersion()).isEqualTo(SECOND_VERSION);
                assertThat(p.getModelSha256()).isEqualTo(shifted.contentSha256());
                assertThat(p.getPredOpen())
                        .isCloseTo(e.predOpen() + SHIFT * scale, withPercentage(RELATIVE_TOLERANCE_PERCENT));
            }
        }
        for (List<PriceRecord> rows : bySymbol.values()) {
            for (int k = 0; k < rows.size(); k++) {
                Prediction p =
                        byBase.get(rows.get(k).getSymbol() + "|" + rows.get(k).getDate());
                List<InputRef> expectedWindow =
                        rows.subList(Math.max(0, k - FeatureSpec.WINDOW_LENGTH + 1), k + 1).stream()
                                .map(r -> ref(r, positions.get(r)))
                                .toList();
                assertThat(p.getWindow()).containsExactlyElementsOf(expectedWindow);
            }
        }
    }

    private static InputRef ref(PriceRecord r, RecordMetadata m) {
        return new InputRef(r.getDate(), m.topic(), m.partition(), m.offset());
    }

    private static void produce(
            KafkaIo io, String topic, List<PriceRecord> records, Map<PriceRecord, RecordMetadata> positions)
            throws Exception {
        List<RecordMetadata> sent = io.produce(
                topic, PriceRecord.class, records.stream().map(TestData::key).toList(), records);
        for (int i = 0; i < records.size(); i++) {
            positions.put(records.get(i), sent.get(i));
        }
    }
}

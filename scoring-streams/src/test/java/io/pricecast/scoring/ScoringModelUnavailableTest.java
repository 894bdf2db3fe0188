package io.pricecast.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pricecast.avro.ModelEvent;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.model.bundle.KerasImport;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.features.FeatureSpec;
import io.pricecast.model.serving.Engine;
import io.pricecast.runtime.metrics.PrometheusText;
import io.pricecast.schemas.RejectReason;
import io.pricecast.scoring.model.ModelRegistryView;
import io.pricecast.scoring.serde.RecordSerdes;
import io.pricecast.scoring.topology.ScoringTopology;
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
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code model_unavailable} outcome, on a real broker: windows drafted with a promoted model wait in the
 * pending store across a commit and a shutdown; the model is withdrawn from the registry (its published
 * version tombstoned, the first model promoted back); a new instance restores the pending windows from the
 * changelog on an empty state directory and rejects each of them, once, naming the model, instead of scoring
 * them with another model or dropping them. The next record is scored with the model now active.
 */
@ExtendWith(RealStack.class)
class ScoringModelUnavailableTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String WITHDRAWN = "withdrawn-v2";
    private static final int PARKED = 12;
    /** Far longer than the test: nothing parked in the first run is scored by the flush punctuator. */
    private static final Duration NEVER = Duration.ofHours(1);

    private static final Duration SOON = Duration.ofMillis(100);

    @TempDir
    Path dir;

    @Test
    void windowsParkedForAWithdrawnModelAreRejectedOnceAfterARestartAndTheNextRecordUsesTheActiveModel(
            StackEndpoints stack) throws Exception {
        TestTopics topics = TestTopics.create(stack, 1);
        String app = UniqueNames.topic("scoring-unavailable");
        KafkaIo io = new KafkaIo(stack);
        RecordSerdes serdes = RecordSerdes.of(stack.serdes());
        ModelBundle withdrawn = TestModels.shifted(WITHDRAWN, 0.5f);
        ModelBundle first = TestModels.first();
        io.produce(
                topics.models(),
                ModelEvent.class,
                List.of(ModelRegistryView.versionKey(WITHDRAWN), ModelRegistryView.ACTIVE_KEY),
                List.of(
                        TestModels.published(withdrawn, withdrawn.contentSha256()),
                        TestModels.promoted(WITHDRAWN, withdrawn.contentSha256())));
        List<PriceRecord> btc = TestData.bySymbol(TestData.sample("unavailable", "upload-unavailable"))
                .get("BTC");
        List<PriceRecord> parked = btc.subList(0, PARKED);

        List<RecordMetadata> positions;
        ScoringConfig parking = TestData.config(
                app,
                stack.kafkaBootstrap(),
                dir.resolve("first"),
                topics,
                serdes,
                "code-test",
                ScoringConfig.DEFAULT_MAX_BATCH,
                Engine.JAVA,
                NEVER);
        try (ScoringService service = ScoringService.start(parking, 0);
                Admin admin = Admin.create(stack.kafkaProperties())) {
            ReadOnlyKeyValueStore<String, ModelEvent> registry = service.streams()
                    .store(StoreQueryParameters.fromNameAndType(
                            ScoringTopology.MODELS_STORE, QueryableStoreTypes.keyValueStore()));
            await().atMost(TIMEOUT).until(() -> registry.get(ModelRegistryView.ACTIVE_KEY) != null);
            positions = io.produce(
                    topics.input(),
                    PriceRecord.class,
                    parked.stream().map(TestData::key).toList(),
                    parked);
            TopicPartition input = new TopicPartition(topics.input(), 0);
            await().atMost(TIMEOUT).until(() -> {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(app)
                        .partitionsToOffsetAndMetadata()
                        .get()
                        .get(input);
                return committed != null
                        && committed.offset() == positions.get(PARKED - 1).offset() + 1;
            });
        }

        io.produce(
                topics.models(),
                ModelEvent.class,
                List.of(ModelRegistryView.versionKey(WITHDRAWN), ModelRegistryView.ACTIVE_KEY),
                Arrays.asList(null, TestModels.promoted(KerasImport.FIRST_VERSION_ID, first.contentSha256())));

        ScoringConfig restarted = TestData.config(
                app,
                stack.kafkaBootstrap(),
                dir.resolve("second"),
                topics,
                serdes,
                "code-test",
                ScoringConfig.DEFAULT_MAX_BATCH,
                Engine.JAVA,
                SOON);
        try (ScoringService service = ScoringService.start(restarted, 0)) {
            List<ConsumerRecord<String, RejectedRecord>> rejected =
                    io.readCommitted(topics.rejected(), RejectedRecord.class, PARKED, TIMEOUT);
            assertThat(rejected).hasSize(PARKED);
            List<Long> offsets = new ArrayList<>();
            for (ConsumerRecord<String, RejectedRecord> r : rejected) {
                RejectedRecord rejection = r.value();
                assertThat(r.key()).isEqualTo("unavailable|BTC");
                assertThat(rejection.getReason()).isEqualTo(RejectReason.MODEL_UNAVAILABLE.code());
                assertThat(rejection.getStage()).isEqualTo("scoring");
                assertThat(rejection.getMessage()).contains(WITHDRAWN, withdrawn.contentSha256());
                assertThat(rejection.getUploadId()).isEqualTo("upload-unavailable");
                assertThat(rejection.getRawTopic()).isEqualTo(topics.input());
                offsets.add(rejection.getRawOffset());
            }
            assertThat(offsets)
                    .containsExactlyElementsOf(
                            positions.stream().map(RecordMetadata::offset).toList());

            HttpClient http = HttpClient.newHttpClient();
            String metrics = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(PrometheusText.parse(metrics)
                            .sum(
                                    "pricecast_records_scored_total",
                                    "outcome",
                                    "rejected",
                                    "reason",
                                    RejectReason.MODEL_UNAVAILABLE.code()))
                    .isPositive();

            PriceRecord next = btc.get(PARKED);
            RecordMetadata nextAt = io.produce(
                            topics.input(), PriceRecord.class, List.of(TestData.key(next)), List.of(next))
                    .get(0);
            List<ConsumerRecord<String, Prediction>> predictions =
                    io.readCommitted(topics.predictions(), Prediction.class, 1, TIMEOUT);
            assertThat(predictions).hasSize(1);
            Prediction p = predictions.get(0).value();
            assertThat(p.getModelVersion()).isEqualTo(KerasImport.FIRST_VERSION_ID);
            assertThat(p.getModelSha256()).isEqualTo(first.contentSha256());
            assertThat(p.getBaseDate()).isEqualTo(next.getDate());
            assertThat(p.getWindow().get(p.getWindow().size() - 1).getOffset()).isEqualTo(nextAt.offset());
            assertThat(p.getWindow().get(0).getOffset())
                    .isEqualTo(positions
                            .get(PARKED - FeatureSpec.WINDOW_LENGTH + 1)
                            .offset());
        }
        assertThat(io.readCommitted(topics.rejected(), RejectedRecord.class, PARKED, TIMEOUT))
                .hasSize(PARKED);
    }
}

package io.pricecast.scoring.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.avro.ModelEvent;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.model.serving.Engine;
import io.pricecast.schemas.RejectReason;
import io.pricecast.scoring.PlainAvroSerdes;
import io.pricecast.scoring.ScoringConfig;
import io.pricecast.scoring.ScoringResources;
import io.pricecast.scoring.TestData;
import io.pricecast.scoring.lineage.OutputRecords;
import io.pricecast.scoring.state.KnownActual;
import io.pricecast.scoring.state.ParkedWindowSerde;
import io.pricecast.scoring.state.SeriesHistorySerde;
import io.pricecast.scoring.state.UploadTallySerde;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-record logic alone, on a mock processor context with in-memory stores: no broker, no topology driver.
 * What each input record ends in, and which node gets it.
 */
class ScoringProcessorTest {

    private static final PlainAvroSerdes SERDES = new PlainAvroSerdes();
    private static final Serde<PriceRecord> PRICES = SERDES.serde(PriceRecord.class, false);
    private static final Duration VERDICT_INTERVAL = Duration.ofSeconds(1);
    private static final String KEY = "d|BTC";

    private final ScoringResources resources = ScoringResources.create(Engine.JAVA);
    private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
    private ScoringProcessor processor;
    private KeyValueStore<Long, ?> pending;
    private long offset;

    @AfterEach
    void close() throws Exception {
        if (processor != null) {
            processor.close();
        }
        resources.close();
    }

    private <K, V> KeyValueStore<K, V> store(String name, Serde<K> keys, Serde<V> values) {
        KeyValueStore<K, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    private void start(int maxBatch) {
        context.setCurrentSystemTimeMs(TestData.RECEIVED_AT.toEpochMilli());
        store(ScoringTopology.SERIES_STORE, Serdes.String(), SeriesHistorySerde.serde());
        store(ScoringTopology.UPLOADS_STORE, Serdes.String(), UploadTallySerde.serde());
        store(ScoringTopology.ACTUALS_STORE, Serdes.String(), KnownActual.serde());
        store(ScoringTopology.MODELS_STORE, Serdes.String(), SERDES.serde(ModelEvent.class, false));
        if (maxBatch > 1) {
            pending = store(ScoringTopology.PENDING_STORE, Serdes.Long(), ParkedWindowSerde.serde());
        }
        processor = new ScoringProcessor(
                PRICES.deserializer(),
                resources,
                new OutputRecords("code-test"),
                maxBatch,
                ScoringConfig.DEFAULT_FLUSH_INTERVAL,
                VERDICT_INTERVAL);
        processor.init(context);
    }

    private static PriceRecord price(int day, double open) {
        return TestData.price(
                "d",
                "BTC",
                LocalDate.of(2018, 1, 1).plusDays(day),
                open,
                open + 1,
                open - 0.5,
                open + 0.5,
                10,
                0,
                "upload-1",
                (long) day + 2);
    }

    private void process(String key, byte[] value) {
        context.setRecordMetadata("prices.clean", 0, offset++);
        processor.process(new Record<>(key, value, 1_000L + offset));
    }

    private void process(PriceRecord price) {
        process(KEY, PRICES.serializer().serialize("prices.clean", price));
    }

    private List<String> forwardedTo() {
        return context.forwarded().stream()
                .map(f -> f.childName().orElseThrow())
                .toList();
    }

    private <T> T lastForwarded(Class<T> type) {
        List<MockProcessorContext.CapturedForward<? extends String, ?>> all = context.forwarded();
        return type.cast(all.get(all.size() - 1).record().value());
    }

    @Test
    void anAcceptedRecordIsPublishedAsReceivedAndScoredAtOnceWithoutBatching() {
        start(1);
        byte[] bytes = PRICES.serializer().serialize("prices.clean", price(0, 10));

        process(KEY, bytes);

        assertThat(forwardedTo()).containsExactly(ScoringTopology.ACCEPTED_SINK, ScoringTopology.PREDICTIONS_SINK);
        assertThat(context.forwarded().get(0).record().key()).isEqualTo(KEY);
        assertThat((byte[]) context.forwarded().get(0).record().value()).containsExactly(bytes);
        Prediction prediction = lastForwarded(Prediction.class);
        assertThat(prediction.getTargetDate()).isEqualTo(LocalDate.of(2018, 1, 2));
        assertThat(prediction.getScoringVersion()).isEqualTo("code-test");
        assertThat(resources.meters().acceptedCount()).isEqualTo(1);
    }

    @Test
    void aRepeatedDayIsCountedAndNothingIsForwarded() {
        start(1);
        process(price(0, 10));
        context.resetForwards();

        process(price(0, 10));

        assertThat(context.forwarded()).isEmpty();
        assertThat(resources.meters().duplicates()).isEqualTo(1);
    }

    @Test
    void anOlderDayOrAnotherVersionOfTheNewestIsRejected() {
        start(1);
        process(price(1, 10));
        context.resetForwards();

        process(price(0, 10));
        assertThat(forwardedTo()).containsExactly(ScoringTopology.REJECTED_SINK);
        assertThat(lastForwarded(RejectedRecord.class).getReason()).isEqualTo(RejectReason.OUT_OF_ORDER.code());

        process(price(1, 11));
        assertThat(lastForwarded(RejectedRecord.class).getReason())
                .isEqualTo(RejectReason.CONFLICTING_DUPLICATE.code());
        assertThat(lastForwarded(RejectedRecord.class).getField()).isEqualTo("date");
    }

    @Test
    void anUnreadableValueOrATombstoneIsRejected() {
        start(1);

        process(KEY, new byte[] {1, 2, 3});
        process(KEY, null);

        assertThat(forwardedTo()).containsExactly(ScoringTopology.REJECTED_SINK, ScoringTopology.REJECTED_SINK);
        assertThat(context.forwarded())
                .extracting(f -> ((RejectedRecord) f.record().value()).getReason())
                .containsExactly(RejectReason.UNREADABLE_RECORD.code(), RejectReason.UNREADABLE_RECORD.code());
        assertThat(lastForwarded(RejectedRecord.class).getMessage())
                .isEqualTo("empty record (tombstone) (prices.clean-0@1)");
    }

    @Test
    void aSymbolTheModelHasNoScalerForIsAcceptedButNotForecast() {
        start(1);

        process(
                "d|NOPE",
                PRICES.serializer()
                        .serialize(
                                "prices.clean",
                                TestData.price(
                                        "d", "NOPE", LocalDate.of(2018, 1, 1), 1, 2, 0.5, 1.5, 10, 0, "upload-1", 2L)));

        assertThat(forwardedTo()).containsExactly(ScoringTopology.ACCEPTED_SINK, ScoringTopology.REJECTED_SINK);
        assertThat(lastForwarded(RejectedRecord.class).getReason()).isEqualTo(RejectReason.UNKNOWN_SYMBOL.code());
        assertThat(lastForwarded(RejectedRecord.class).getField()).isEqualTo("symbol");
    }

    @Test
    void withBatchingAWindowIsParkedUntilTheFlushPunctuatorScoresIt() {
        start(64);

        process(price(0, 10));
        assertThat(forwardedTo()).containsExactly(ScoringTopology.ACCEPTED_SINK);
        assertThat(pending.approximateNumEntries()).isEqualTo(1);

        MockProcessorContext.CapturedPunctuator flush = context.scheduledPunctuators().stream()
                .filter(p -> p.getInterval().equals(ScoringConfig.DEFAULT_FLUSH_INTERVAL))
                .findFirst()
                .orElseThrow();
        assertThat(flush.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
        flush.getPunctuator().punctuate(context.currentSystemTimeMs());

        assertThat(forwardedTo()).containsExactly(ScoringTopology.ACCEPTED_SINK, ScoringTopology.PREDICTIONS_SINK);
        assertThat(pending.approximateNumEntries()).isZero();
    }
}

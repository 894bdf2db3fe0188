package io.pricecast.scoring.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import io.pricecast.avro.Accuracy;
import io.pricecast.avro.InputRef;
import io.pricecast.avro.ModelEvent;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.avro.UploadVerdicts;
import io.pricecast.model.bundle.KerasImport;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.features.FeatureSpec;
import io.pricecast.schemas.RejectReason;
import io.pricecast.schemas.Topics;
import io.pricecast.scoring.PlainAvroSerdes;
import io.pricecast.scoring.ScoringConfig;
import io.pricecast.scoring.ScoringResources;
import io.pricecast.scoring.TestData;
import io.pricecast.scoring.TestModels;
import io.pricecast.scoring.model.ModelRegistryView;
import io.pricecast.scoring.serde.RecordSerdes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScoringTopologyTest {

    private static final double RELATIVE_TOLERANCE_PERCENT = 1e-4 * 100;
    private static final String DATASET = "sample";
    private static final String UPLOAD = "upload-1";
    private static final String CODE_VERSION = "code-test";

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private ScoringResources resources;
    private TestInputTopic<String, PriceRecord> prices;
    private TestInputTopic<String, byte[]> rawPrices;
    private TestInputTopic<String, ModelEvent> models;
    private TestOutputTopic<String, Prediction> predictions;
    private TestOutputTopic<String, RejectedRecord> rejected;
    private TestOutputTopic<String, PriceRecord> accepted;
    private TestOutputTopic<String, Accuracy> accuracy;
    private TestOutputTopic<String, UploadVerdicts> verdicts;

    private void start(int maxBatch) {
        ScoringConfig config = TestData.config("ttd", stateDir, new PlainAvroSerdes(), CODE_VERSION, maxBatch);
        resources = ScoringResources.create(config.engine());
        driver = new TopologyTestDriver(ScoringTopology.build(config, resources), config.streamsProperties());
        RecordSerdes serdes = config.serdes();
        prices = driver.createInputTopic(
                config.inputTopic(),
                Serdes.String().serializer(),
                serdes.serde(PriceRecord.class, false).serializer());
        rawPrices = driver.createInputTopic(
                config.inputTopic(),
                Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        models = driver.createInputTopic(
                config.modelsTopic(),
                Serdes.String().serializer(),
                serdes.serde(ModelEvent.class, false).serializer());
        predictions = driver.createOutputTopic(
                config.predictionsTopic(),
                Serdes.String().deserializer(),
                serdes.serde(Prediction.class, false).deserializer());
        rejected = driver.createOutputTopic(
                config.rejectedTopic(),
                Serdes.String().deserializer(),
                serdes.serde(RejectedRecord.class, false).deserializer());
        accepted = driver.createOutputTopic(
                config.acceptedTopic(),
                Serdes.String().deserializer(),
                serdes.serde(PriceRecord.class, false).deserializer());
        accuracy = driver.createOutputTopic(
                config.accuracyTopic(),
                Serdes.String().deserializer(),
                serdes.serde(Accuracy.class, false).deserializer());
        verdicts = driver.createOutputTopic(
                config.verdictsTopic(),
                Serdes.String().deserializer(),
                serdes.serde(UploadVerdicts.class, false).deserializer());
    }

    @AfterEach
    void close() throws Exception {
        if (driver != null) {
            driver.close();
        }
        if (resources != null) {
            resources.close();
        }
    }

    private void pipe(List<PriceRecord> records) {
        records.forEach(r -> prices.pipeInput(TestData.key(r), r));
    }

    /** Scores pending windows of a batching topology. */
    private void flush() {
        driver.advanceWallClockTime(ScoringConfig.DEFAULT_FLUSH_INTERVAL.multipliedBy(2));
    }

    @ParameterizedTest(name = "max batch {0}")
    @ValueSource(ints = {1, 64})
    void sampleRecordsGiveTheReferencePredictionsWithTheirWindowsKafkaPositions(int maxBatch) throws IOException {
        start(maxBatch);
        List<PriceRecord> sample = TestData.sample(DATASET, UPLOAD);
        pipe(sample);
        flush();

        List<org.apache.kafka.streams.test.TestRecord<String, Prediction>> out = predictions.readRecordsToList();
        assertThat(out).hasSize(sample.size());
        assertThat(rejected.isEmpty()).isTrue();

        // offsets on the single test partition follow file order
        Map<PriceRecord, Long> offsetOf = new HashMap<>();
        for (int i = 0; i < sample.size(); i++) {
            offsetOf.put(sample.get(i), (long) i);
        }
        Map<String, List<PriceRecord>> rowsBySymbol = TestData.bySymbol(sample);
        Map<String, Prediction> byBase = out.stream()
                .collect(Collectors.toMap(
                        r -> r.value().getSymbol() + "|" + r.value().getBaseDate(), r -> r.value()));
        ModelBundle bundle = KerasImport.firstBundle();

        int matched = 0;
        for (TestData.Expected e : TestData.expected()) {
            List<PriceRecord> rows = rowsBySymbol.get(e.symbol());
            PriceRecord base = rows.get(e.index());
            assertThat(rows.get(e.index() + 1).getDate()).isEqualTo(e.date());
            Prediction p = byBase.get(e.symbol() + "|" + base.getDate());
            assertThat(p)
                    .as("prediction from %s %s", e.symbol(), base.getDate())
                    .isNotNull();
            assertThat(p.getPredOpen())
                    .as("%s index %d", e.symbol(), e.index())
                    .isCloseTo(e.predOpen(), withPercentage(RELATIVE_TOLERANCE_PERCENT));
            matched++;
        }
        assertThat(matched).isEqualTo(1_092);

        for (List<PriceRecord> rows : rowsBySymbol.values()) {
            for (int k = 0; k < rows.size(); k++) {
                PriceRecord base = rows.get(k);
                Prediction p = byBase.get(base.getSymbol() + "|" + base.getDate());
                List<Long> windowOffsets = rows.subList(Math.max(0, k - FeatureSpec.WINDOW_LENGTH + 1), k + 1).stream()
                        .map(offsetOf::get)
                        .toList();
                assertThat(p.getWindow()).extracting(InputRef::getOffset).containsExactlyElementsOf(windowOffsets);
                assertThat(p.getWindow()).extracting(InputRef::getTopic).containsOnly(Topics.PRICES_CLEAN.name());
                assertThat(p.getWindow().get(p.getWindow().size() - 1).getDate())
                        .isEqualTo(base.getDate());
                if (k >= FeatureSpec.WINDOW_LENGTH) {
                    assertThat(p.getPrevious().getOffset())
                            .isEqualTo(offsetOf.get(rows.get(k - FeatureSpec.WINDOW_LENGTH)));
                } else {
                    assertThat(p.getPrevious()).isNull();
                }
                assertThat(p.getTargetDate()).isEqualTo(base.getDate().plusDays(1));
                assertThat(p.getBaseOpen()).isEqualTo(base.getOpen());
                assertThat(p.getUploadId()).isEqualTo(UPLOAD);
                assertThat(p.getFileLine()).isEqualTo(base.getFileLine());
                assertThat(p.getModelVersion()).isEqualTo(KerasImport.FIRST_VERSION_ID);
                assertThat(p.getModelSha256()).isEqualTo(bundle.contentSha256());
                assertThat(p.getScalerSha256()).isEqualTo(bundle.scalersSha256());
                assertThat(p.getFeatureSpec()).isEqualTo(FeatureSpec.VERSION);
                assertThat(p.getIngestVersion()).isEqualTo(TestData.INGEST_VERSION);
                assertThat(p.getScoringVersion()).isEqualTo(CODE_VERSION);
                assertThat(p.getReceivedAt()).isEqualTo(TestData.RECEIVED_AT);
                assertThat(p.getPredictionId())
                        .isEqualTo(DATASET + "|" + base.getSymbol() + "|"
                                + base.getDate().plusDays(1) + "|" + KerasImport.FIRST_VERSION_ID);
            }
        }
        assertThat(out)
                .allSatisfy(r ->
                        assertThat(r.key()).isEqualTo(DATASET + "|" + r.value().getSymbol()));
        assertThat(resources.meters().predictions()).isEqualTo(sample.size());
    }

    @Test
    void theHistoryRulesCountARepeatAndRefuseACorrectionAndAnOlderDayWithoutAPrediction() {
        start(1);
        List<PriceRecord> btc = TestData.sample(DATASET, UPLOAD).stream()
                .filter(r -> r.getSymbol().equals("BTC"))
                .limit(3)
                .toList();
        pipe(btc);
        PriceRecord repeated = PriceRecord.newBuilder(btc.get(2)).build();
        PriceRecord corrected = PriceRecord.newBuilder(btc.get(2))
                .setOpen(btc.get(2).getOpen() + 1)
                .build();
        PriceRecord older = PriceRecord.newBuilder(btc.get(0)).build();
        pipe(List.of(repeated, corrected, older));

        assertThat(predictions.readValuesToList()).hasSize(3);
        assertThat(accepted.readValuesToList()).containsExactlyElementsOf(btc);
        List<RejectedRecord> rejections = rejected.readValuesToList();
        assertThat(rejections)
                .extracting(RejectedRecord::getReason)
                .containsExactly(RejectReason.CONFLICTING_DUPLICATE.code(), RejectReason.OUT_OF_ORDER.code());
        assertThat(rejections).allSatisfy(r -> {
            assertThat(r.getStage()).isEqualTo("scoring");
            assertThat(r.getRawTopic()).isEqualTo(Topics.PRICES_CLEAN.name());
            assertThat(r.getCodeVersion()).isEqualTo(CODE_VERSION);
            assertThat(r.getUploadId()).isEqualTo(UPLOAD);
            assertThat(r.getMessage()).startsWith("line " + r.getFileLine() + ": series BTC day " + r.getDate());
        });
        assertThat(rejections).extracting(RejectedRecord::getRawOffset).containsExactly(4L, 5L);
        assertThat(rejections.get(0).getMessage())
                .contains("differs from the values the series already has", Topics.PRICES_CLEAN.name() + "-0@2");
        assertThat(rejections.get(1).getMessage())
                .contains("is older than " + btc.get(2).getDate());
        assertThat(resources.meters().duplicates()).isEqualTo(1);
        assertThat(resources.meters().rejectedCount(RejectReason.OUT_OF_ORDER.code()))
                .isEqualTo(1);
    }

    @Test
    void consoleAndUploadRecordsOfOneSeriesAreJudgedAgainstTheSameHistoryInArrivalOrder() {
        start(1);
        PriceRecord day1 =
                TestData.price(DATASET, "BTC", LocalDate.of(2018, 1, 1), 100, 110, 90, 105, 10, 1e9, UPLOAD, 2L);
        PriceRecord day2 =
                TestData.price(DATASET, "BTC", LocalDate.of(2018, 1, 2), 105, 112, 100, 110, 10, 1e9, UPLOAD, 3L);
        PriceRecord consoleDay2 = console(day2);
        PriceRecord consoleDay3 = console(
                TestData.price(DATASET, "BTC", LocalDate.of(2018, 1, 3), 110, 115, 105, 111, 10, 1e9, null, null));
        PriceRecord uploadDay3Again =
                TestData.price(DATASET, "BTC", LocalDate.of(2018, 1, 3), 110, 115, 105, 111, 10, 1e9, "upload-2", 2L);
        pipe(List.of(day1, day2, consoleDay2, consoleDay3, uploadDay3Again));

        assertThat(accepted.readValuesToList()).containsExactly(day1, day2, consoleDay3);
        assertThat(rejected.isEmpty()).isTrue();
        assertThat(resources.meters().duplicates())
                .as("the console's day 2 and the second upload's day 3")
                .isEqualTo(2);
        driver.advanceWallClockTime(TestData.TEST_VERDICT_INTERVAL.multipliedBy(2));
        Map<String, UploadVerdicts> byUpload = verdicts.readKeyValuesToMap();
        assertThat(byUpload.get(UPLOAD).getAccepted()).isEqualTo(2);
        assertThat(byUpload.get(UPLOAD).getJudged()).isEqualTo(2);
        assertThat(byUpload.get("upload-2").getDuplicates()).isEqualTo(1);
        assertThat(byUpload.get("upload-2").getJudged()).isEqualTo(1);
        assertThat(byUpload).doesNotContainKey(null);
    }

    private static PriceRecord console(PriceRecord r) {
        return PriceRecord.newBuilder(r)
                .setSource(io.pricecast.avro.RecordSource.CONSOLE)
                .setUploadId(null)
                .setFileLine(null)
                .setRawTopic(Topics.PRICES_RAW.name())
                .setRawPartition(0)
                .setRawOffset(7L)
                .build();
    }

    @ParameterizedTest(name = "max batch {0}")
    @ValueSource(ints = {1, 64})
    void eachForecastIsScoredOnceAgainstTheOpenOfItsDayWithTheRollingFiguresOfItsSeries(int maxBatch) {
        start(maxBatch);
        List<PriceRecord> sample = TestData.sample(DATASET, UPLOAD);
        pipe(sample);
        flush();

        Map<String, Prediction> forecastById =
                predictions.readValuesToList().stream().collect(Collectors.toMap(Prediction::getPredictionId, p -> p));
        Map<String, Double> openOf =
                sample.stream().collect(Collectors.toMap(r -> r.getSymbol() + "|" + r.getDate(), PriceRecord::getOpen));
        List<Accuracy> scored = accuracy.readValuesToList();
        // every forecast but each series' newest has its day in the sample: 1,095 - 3
        assertThat(scored).hasSize(sample.size() - 3);
        assertThat(scored.stream().map(Accuracy::getPredictionId).distinct()).hasSize(scored.size());
        for (Accuracy a : scored) {
            Prediction p = forecastById.get(a.getPredictionId());
            double valOpen = openOf.get(a.getSymbol() + "|" + a.getTargetDate());
            assertThat(a.getPredOpen()).isEqualTo(p.getPredOpen());
            assertThat(a.getBaseOpen()).isEqualTo(p.getBaseOpen());
            assertThat(a.getValOpen()).isEqualTo(valOpen);
            assertThat(a.getAbsError()).isEqualTo(Math.abs(p.getPredOpen() - valOpen));
            assertThat(a.getNaiveAbsError()).isEqualTo(Math.abs(p.getBaseOpen() - valOpen));
            assertThat(a.getValTopic()).isEqualTo(Topics.PRICES_CLEAN.name());
            assertThat(a.getModelVersion()).isEqualTo(KerasImport.FIRST_VERSION_ID);
        }
        // the last figures of BTC equal the mean of its last 30 days' errors, recomputed from the forecasts and opens
        List<Accuracy> btc =
                scored.stream().filter(a -> a.getSymbol().equals("BTC")).toList();
        Accuracy last = btc.get(btc.size() - 1);
        List<Accuracy> month = btc.stream()
                .filter(a -> !a.getTargetDate().isBefore(last.getTargetDate().minusDays(29)))
                .toList();
        assertThat(last.getScored30()).isEqualTo(month.size()).isEqualTo(30);
        assertThat(last.getMad30())
                .isCloseTo(
                        month.stream()
                                .mapToDouble(Accuracy::getAbsError)
                                .average()
                                .orElseThrow(),
                        org.assertj.core.data.Offset.offset(1e-9));
        assertThat(last.getNaiveMad30())
                .isCloseTo(
                        month.stream()
                                .mapToDouble(Accuracy::getNaiveAbsError)
                                .average()
                                .orElseThrow(),
                        org.assertj.core.data.Offset.offset(1e-9));
        assertThat(last.getFlagged()).isEqualTo(last.getMad30() > last.getNaiveMad30());
        assertThat(last.getScored7()).isEqualTo(7);
        assertThat(last.getLastTargetDate()).isEqualTo(last.getTargetDate());
    }

    @Test
    void anUploadsVerdictsArePublishedCumulativelyUntilEveryRecordIsJudged() {
        start(64);
        List<PriceRecord> sample = TestData.sample(DATASET, UPLOAD);
        pipe(sample.subList(0, 500));
        flush();
        driver.advanceWallClockTime(TestData.TEST_VERDICT_INTERVAL.multipliedBy(2));
        pipe(sample.subList(500, sample.size()));
        pipe(sample.subList(0, 2));
        flush();
        driver.advanceWallClockTime(TestData.TEST_VERDICT_INTERVAL.multipliedBy(2));

        List<UploadVerdicts> published = verdicts.readValuesToList();
        assertThat(published).extracting(UploadVerdicts::getJudged).containsExactly(500L, 1097L);
        UploadVerdicts last = published.get(published.size() - 1);
        assertThat(last.getUploadId()).isEqualTo(UPLOAD);
        assertThat(last.getPartition()).isZero();
        assertThat(last.getAccepted()).isEqualTo(1095);
        assertThat(last.getRejected()).isEqualTo(Map.of(RejectReason.OUT_OF_ORDER.code(), 2L));
        assertThat(last.getForecasts()).isEqualTo(1095);
        assertThat(last.getScoringVersion()).isEqualTo(CODE_VERSION);
        driver.advanceWallClockTime(TestData.TEST_VERDICT_INTERVAL.multipliedBy(2));
        assertThat(verdicts.isEmpty()).as("nothing changed: nothing published").isTrue();
    }

    @Test
    void unknownSymbolIsRejectedAndCountedWhileOtherSeriesGoOn() {
        start(1);
        PriceRecord unknown =
                TestData.price(DATASET, "NOPE", LocalDate.of(2018, 1, 1), 1, 2, 0.5, 1.5, 10, 100, UPLOAD, 2L);
        PriceRecord known =
                TestData.price(DATASET, "BTC", LocalDate.of(2018, 1, 1), 100, 110, 90, 105, 10, 1e9, UPLOAD, 3L);
        pipe(List.of(unknown, known));

        assertThat(rejected.readValuesToList()).singleElement().satisfies(r -> {
            assertThat(r.getReason()).isEqualTo(RejectReason.UNKNOWN_SYMBOL.code());
            assertThat(r.getSymbol()).isEqualTo("NOPE");
            assertThat(r.getMessage()).contains(KerasImport.FIRST_VERSION_ID);
        });
        assertThat(predictions.readValuesToList())
                .singleElement()
                .satisfies(p -> assertThat(p.getSymbol()).isEqualTo("BTC"));
        assertThat(resources.meters().rejectedCount(RejectReason.UNKNOWN_SYMBOL.code()))
                .isEqualTo(1);
    }

    @Test
    void unreadableRecordIsRoutedToRejectedWithItsPosition() {
        start(1);
        rawPrices.pipeInput("sample|BTC", new byte[] {1, 2, 3});
        assertThat(rejected.readValuesToList()).singleElement().satisfies(r -> {
            assertThat(r.getReason()).isEqualTo(RejectReason.UNREADABLE_RECORD.code());
            assertThat(r.getDataset()).isEqualTo("sample");
            assertThat(r.getSymbol()).isEqualTo("BTC");
            assertThat(r.getRawOffset()).isZero();
            assertThat(r.getRaw()).startsWith("base64:");
        });
        assertThat(predictions.isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "max batch {0}")
    @ValueSource(ints = {1, 64})
    void promotedModelScoresLaterRecordsAndEachPredictionNamesItsModel(int maxBatch) throws IOException {
        start(maxBatch);
        List<PriceRecord> sample = TestData.sample(DATASET, UPLOAD);
        pipe(sample.subList(0, 10));
        flush();
        ModelBundle reimported = TestModels.reimported("ds-keras-v1-reimport");
        publishAndPromote(reimported, reimported.contentSha256());
        pipe(sample.subList(10, 20));
        flush();

        List<Prediction> out = predictions.readValuesToList();
        assertThat(out).hasSize(20);
        assertThat(out.subList(0, 10))
                .extracting(Prediction::getModelVersion)
                .containsOnly(KerasImport.FIRST_VERSION_ID);
        assertThat(out.subList(10, 20)).extracting(Prediction::getModelVersion).containsOnly("ds-keras-v1-reimport");
        assertThat(out.subList(10, 20)).extracting(Prediction::getModelSha256).containsOnly(reimported.contentSha256());
    }

    @Test
    void bundleWhoseContentDoesNotMatchItsSha256IsRefusedAndThePreviousModelStays() throws IOException {
        start(1);
        ModelBundle other = TestModels.reimported("tampered");
        String wrongSha = "0".repeat(64);
        publishAndPromote(other, wrongSha);
        pipe(TestData.sample(DATASET, UPLOAD).subList(0, 3));

        assertThat(predictions.readValuesToList())
                .extracting(Prediction::getModelVersion)
                .containsOnly(KerasImport.FIRST_VERSION_ID);
        assertThat(resources.meters().modelRefusals()).isEqualTo(1);
    }

    @Test
    void batchedWindowsWaitInThePendingStoreUntilTheBatchFillsOrTheFlushIsDue() {
        start(4);
        List<PriceRecord> sample = TestData.sample(DATASET, UPLOAD);
        pipe(sample.subList(0, 3));
        assertThat(predictions.isEmpty()).isTrue();
        assertThat(driver.getKeyValueStore(ScoringTopology.PENDING_STORE).approximateNumEntries())
                .isEqualTo(3);
        pipe(sample.subList(3, 4));
        assertThat(predictions.readValuesToList()).hasSize(4);
        pipe(sample.subList(4, 5));
        assertThat(predictions.isEmpty()).isTrue();
        flush();
        assertThat(predictions.readValuesToList()).hasSize(1);
        assertThat(driver.getKeyValueStore(ScoringTopology.PENDING_STORE).approximateNumEntries())
                .isZero();
    }

    private void publishAndPromote(ModelBundle bundle, String sha256) {
        String version = bundle.metadata().versionId();
        models.pipeInput(ModelRegistryView.versionKey(version), TestModels.published(bundle, sha256));
        models.pipeInput(ModelRegistryView.ACTIVE_KEY, TestModels.promoted(version, sha256));
    }
}

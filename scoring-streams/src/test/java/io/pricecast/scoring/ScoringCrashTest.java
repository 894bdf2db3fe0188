package io.pricecast.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import io.pricecast.avro.Accuracy;
import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.model.features.DailyPrice;
import io.pricecast.model.forecast.Forecast;
import io.pricecast.model.forecast.Forecaster;
import io.pricecast.model.forecast.SeriesForecast;
import io.pricecast.model.network.PlainJavaBiGru;
import io.pricecast.testing.Readiness;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.StackEndpoints;
import io.pricecast.testing.UniqueNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the scoring service (a separate JVM, {@code destroyForcibly}, i.e. SIGKILL) while it scores a large input
 * with batching on, restarts it on the same state directory, and checks that every input record produced
 * exactly one committed prediction with the same numbers as the offline forecaster.
 */
@ExtendWith(RealStack.class)
class ScoringCrashTest {

    private static final int DATASETS = 10;
    private static final int DAYS = 100;
    private static final int DAYS_BEFORE_START = 40;
    private static final int PARTITIONS = 4;
    /** Predictions beyond the first part that show the service is busy with the second part when killed. */
    private static final int BUSY_MARGIN = 500;

    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final double RELATIVE_TOLERANCE_PERCENT = 1e-4 * 100;

    @TempDir
    Path stateDir;

    @Test
    void killedMidInputAndRestartedEveryRecordHasExactlyOnePrediction(StackEndpoints stack) throws Exception {
        TestTopics topics = TestTopics.create(stack, PARTITIONS);
        List<PriceRecord> records = TestData.randomWalks(DATASETS, DAYS, 42);
        int series = DATASETS * TestData.KNOWN_SYMBOLS.size();
        List<PriceRecord> before = records.subList(0, series * DAYS_BEFORE_START);
        List<PriceRecord> after = records.subList(series * DAYS_BEFORE_START, records.size());
        KafkaIo io = new KafkaIo(stack);
        int port = ScoringProcess.freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PRICECAST_KAFKA_BOOTSTRAP", stack.kafkaBootstrap());
        env.put("PRICECAST_REGISTRY_URL", stack.registryUrl());
        env.put("PRICECAST_STATE_DIR", stateDir.toString());
        env.put("PRICECAST_SCORING_PORT", Integer.toString(port));
        env.put("PRICECAST_SCORING_APPLICATION_ID", UniqueNames.topic("crash-app"));
        env.put("PRICECAST_SCORING_INPUT_TOPIC", topics.input());
        env.put("PRICECAST_SCORING_PREDICTIONS_TOPIC", topics.predictions());
        env.put("PRICECAST_SCORING_ACCEPTED_TOPIC", topics.accepted());
        env.put("PRICECAST_SCORING_ACCURACY_TOPIC", topics.accuracy());
        env.put("PRICECAST_SCORING_VERDICTS_TOPIC", topics.verdicts());
        env.put("PRICECAST_SCORING_REJECTED_TOPIC", topics.rejected());
        env.put("PRICECAST_SCORING_MODELS_TOPIC", topics.models());
        env.put("PRICECAST_SCORING_ENGINE", "java");
        env.put("PRICECAST_SCORING_MAX_BATCH", "256");
        Path log = Files.createDirectories(Path.of("target", "crash-test"))
                .resolve(env.get("PRICECAST_SCORING_APPLICATION_ID") + ".log");

        List<ConsumerRecord<String, Prediction>> seen = new ArrayList<>();
        int seenAtKill;
        try (KafkaConsumer<String, Prediction> reader = io.committedReader(topics.predictions(), Prediction.class)) {
            io.produce(
                    topics.input(),
                    PriceRecord.class,
                    before.stream().map(TestData::key).toList(),
                    before);
            Process first = ScoringProcess.start(env, log);
            try {
                awaitHealthy(port);
                KafkaIo.awaitAtLeast(reader, seen, before.size(), TIMEOUT);
                io.produce(
                        topics.input(),
                        PriceRecord.class,
                        after.stream().map(TestData::key).toList(),
                        after);
                KafkaIo.awaitAtLeast(reader, seen, before.size() + BUSY_MARGIN, TIMEOUT);
            } finally {
                first.destroyForcibly();
                assertThat(first.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            }
            seenAtKill = seen.size();

            Process second = ScoringProcess.start(env, log);
            try {
                KafkaIo.awaitAtLeast(reader, seen, records.size(), TIMEOUT);
            } finally {
                second.destroy();
                assertThat(second.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                        .isTrue();
            }
            // stopped: every transaction it began is committed or aborted, so the end offsets bound all it wrote
            KafkaIo.readToEnd(reader, seen, TIMEOUT);
        }

        assertThat(seenAtKill).as("killed in the middle of the input").isLessThan(records.size());
        Map<String, Prediction> byInput = new HashMap<>();
        for (ConsumerRecord<String, Prediction> r : seen) {
            String input = r.key() + "|" + r.value().getBaseDate();
            assertThat(byInput.put(input, r.value()))
                    .as("second prediction for %s", input)
                    .isNull();
        }
        assertThat(byInput).hasSize(records.size());
        for (PriceRecord r : records) {
            assertThat(byInput).containsKey(TestData.key(r) + "|" + r.getDate());
        }
        assertThat(io.readCommitted(topics.rejected(), RejectedRecord.class, 0, TIMEOUT))
                .isEmpty();
        assertSameAsOfflineForecasts(records, byInput);
        assertEachForecastScoredOnce(io, topics, records, byInput);
    }

    /**
     * Every forecast whose target day is in the input has exactly one committed accuracy record, against that day's
     * open: the actuals that waited for a forecast still in a batch when the service was killed were restored too.
     */
    private static void assertEachForecastScoredOnce(
            KafkaIo io, TestTopics topics, List<PriceRecord> records, Map<String, Prediction> byInput) {
        Map<String, Double> opens = new HashMap<>();
        records.forEach(r -> opens.put(TestData.key(r) + "|" + r.getDate(), r.getOpen()));
        Map<String, Prediction> scorable = new HashMap<>();
        byInput.values().forEach(p -> {
            if (opens.containsKey(p.getDataset() + "|" + p.getSymbol() + "|" + p.getTargetDate())) {
                scorable.put(p.getPredictionId(), p);
            }
        });
        List<ConsumerRecord<String, Accuracy>> scored =
                io.readCommitted(topics.accuracy(), Accuracy.class, scorable.size(), TIMEOUT);
        Map<String, Accuracy> byForecast = new HashMap<>();
        for (ConsumerRecord<String, Accuracy> r : scored) {
            Accuracy a = r.value();
            assertThat(byForecast.put(a.getPredictionId(), a))
                    .as("second score of %s", a.getPredictionId())
                    .isNull();
            Prediction forecast = scorable.get(a.getPredictionId());
            assertThat(forecast)
                    .as("a scored forecast of the input: %s", a.getPredictionId())
                    .isNotNull();
            double actual = opens.get(a.getDataset() + "|" + a.getSymbol() + "|" + a.getTargetDate());
            assertThat(a.getValOpen()).isEqualTo(actual);
            assertThat(a.getAbsError()).isCloseTo(Math.abs(forecast.getPredOpen() - actual), withPercentage(1e-9));
        }
        assertThat(byForecast).hasSize(scorable.size());
    }

    private static void assertSameAsOfflineForecasts(List<PriceRecord> records, Map<String, Prediction> byInput) {
        Forecaster offline = new Forecaster(
                TestModels.first(), new PlainJavaBiGru(TestModels.first().weights()));
        Map<String, List<PriceRecord>> bySeries = new LinkedHashMap<>();
        records.forEach(r -> bySeries.computeIfAbsent(TestData.key(r), k -> new ArrayList<>())
                .add(r));
        bySeries.forEach((key, rows) -> {
            List<DailyPrice> prices = rows.stream()
                    .map(r -> new DailyPrice(
                            r.getDate(),
                            r.getOpen(),
                            r.getHigh(),
                            r.getLow(),
                            r.getClose(),
                            r.getVolume(),
                            r.getMarket()))
                    .toList();
            SeriesForecast forecast = offline.forecast(rows.get(0).getSymbol(), prices);
            assertThat(forecast).isInstanceOf(SeriesForecast.Forecasts.class);
            for (Forecast f : ((SeriesForecast.Forecasts) forecast).forecasts()) {
                assertThat(byInput.get(key + "|" + f.basisDate()).getPredOpen())
                        .as("%s %s", key, f.basisDate())
                        .isCloseTo(f.predictedOpen(), withPercentage(RELATIVE_TOLERANCE_PERCENT));
            }
        });
    }

    private static void awaitHealthy(int port) {
        Readiness.await200("http://127.0.0.1:" + port + "/health", TIMEOUT);
    }
}

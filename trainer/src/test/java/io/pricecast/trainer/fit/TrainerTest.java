package io.pricecast.trainer.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.features.DailyPrice;
import io.pricecast.model.features.FeatureSpec;
import io.pricecast.model.features.Features;
import io.pricecast.model.network.DjlBiGru;
import io.pricecast.model.network.DjlSettings;
import io.pricecast.model.network.PlainJavaBiGru;
import io.pricecast.model.scaler.ScalerSet;
import io.pricecast.testing.ChildJvm;
import io.pricecast.trainer.data.SyntheticPrices;
import io.pricecast.trainer.data.TrainingData;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrainerTest {

    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final TrainingConfig SMALL = DeterminismProbe.CONFIG;
    private static TrainingData data;
    private static TrainingRun.Outcome first;
    private static final List<String> progress = new ArrayList<>();

    @BeforeAll
    static void trainOnce() {
        data = DeterminismProbe.data();
        first = TrainingRun.run(data, SMALL, "test-v1", CREATED, null, "test", progress::add);
    }

    @Test
    void trainingLossDecreasesOverEpochs() {
        List<Trainer.Epoch> history = first.result().history();
        assertThat(history).hasSizeGreaterThanOrEqualTo(3);
        assertThat(history.get(history.size() - 1).trainLoss())
                .isLessThan(history.get(0).trainLoss());
    }

    @Test
    void reportsEpochLossAndEta() {
        assertThat(progress)
                .anySatisfy(line -> assertThat(line)
                        .startsWith("epoch 1/6")
                        .contains("train loss")
                        .contains("validation loss")
                        .contains("ETA"));
    }

    @Test
    void retrainingTheSameDataWithTheSameSeedGivesTheSameBundleSha256InThisAndInFreshJvms() throws Exception {
        // as ./pricecast train runs it (a fresh JVM per training), and in a JVM that already trained and did other work
        Map<String, String> once = trainInFreshJvm();
        Map<String, String> twice = trainInFreshJvm();
        TrainingRun.Outcome again =
                TrainingRun.run(data, SMALL, "test-v2", CREATED, null, "test", Trainer.Progress.silent());
        assertThat(once.get("sha256"))
                .isEqualTo(twice.get("sha256"))
                .isEqualTo(first.bundle().contentSha256())
                .isEqualTo(again.bundle().contentSha256());
        TrainingRun.Outcome otherSeed =
                TrainingRun.run(data, SMALL.withSeed(8), "test-v3", CREATED, null, "test", Trainer.Progress.silent());
        assertThat(otherSeed.bundle().contentSha256()).isNotEqualTo(once.get("sha256"));
    }

    private static Map<String, String> trainInFreshJvm() throws Exception {
        Process process = new ProcessBuilder(ChildJvm.command(
                        "-Xmx512m", "-cp", System.getProperty("java.class.path"), DeterminismProbe.class.getName()))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, java.util.concurrent.TimeUnit.MINUTES))
                .as(out)
                .isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        Map<String, String> values = new java.util.HashMap<>();
        out.lines()
                .filter(l -> l.contains("="))
                .forEach(l -> values.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        assertThat(values).containsKeys("sha256", "mad");
        return values;
    }

    @Test
    void trainedBundleScoresTheSameInTheTrainingForwardAndTheLibraryForwardPasses() throws Exception {
        ModelBundle bundle =
                ModelBundle.read(new ByteArrayInputStream(first.bundle().toBytes()), "trained");
        assertThat(bundle.contentSha256()).isEqualTo(first.bundle().contentSha256());
        String symbol = bundle.scalers().symbols().get(0);
        List<DailyPrice> rows = data.series().get(symbol);
        float[] windows =
                Features.windows(rows, bundle.scalers().forSymbol(symbol).orElseThrow());
        int n = rows.size();
        float[] plain = new PlainJavaBiGru(bundle.weights()).predict(windows, n);
        float[] djl;
        try (DjlBiGru forward = new DjlBiGru(bundle.weights(), DjlSettings.fromEnvironment())) {
            djl = forward.predict(windows, n);
        }
        float[] training;
        try (NDManager manager = Engine.getEngine(DjlBiGru.ENGINE).newBaseManager();
                TrainableBiGru net = TrainableBiGru.of(manager, bundle.weights())) {
            training = net.forward(
                            manager.create(windows, new Shape(n, FeatureSpec.WINDOW_LENGTH, FeatureSpec.FEATURE_COUNT)),
                            false)
                    .toFloatArray();
        }
        for (int i = 0; i < n; i++) {
            assertThat(djl[i]).as("DJL forward, window %d", i).isCloseTo(training[i], within(1e-5f));
            assertThat(plain[i]).as("plain-Java forward, window %d", i).isCloseTo(training[i], within(1e-5f));
        }
    }

    @Test
    void compactSamplesAssembleExactlyTheModelLibraryWindows() {
        Map<String, List<DailyPrice>> series = data.series();
        ScalerSet scalers = first.bundle().scalers();
        Samples samples = Samples.build(series, scalers, LocalDate.MAX, LocalDate.MAX);
        int total = 0;
        for (String symbol : scalers.symbols()) {
            List<DailyPrice> rows = series.get(symbol);
            float[] expected = Features.windows(rows, scalers.forSymbol(symbol).orElseThrow());
            int[] ends = new int[rows.size()];
            for (int i = 0; i < ends.length; i++) {
                ends[i] = total + i;
            }
            float[] actual = new float[expected.length];
            samples.windows(ends, 0, ends.length, actual);
            assertThat(actual).as(symbol).containsExactly(expected);
            total += rows.size();
        }
    }

    @Test
    void fitsAScalerForEverySymbolWithEnoughHistoryAndSkipsTheRest() {
        Map<String, List<DailyPrice>> series =
                new java.util.TreeMap<>(SyntheticPrices.generate(2, 150, LocalDate.of(2024, 1, 1), 3));
        series.put(
                "TINY",
                SyntheticPrices.generate(1, 20, LocalDate.of(2024, 5, 1), 4).get("S0000"));
        Trainer.Result result = new Trainer(
                        new TrainingConfig(1, 64, 1e-3f, 1, 1, 10, 10, 30, 1000), Trainer.Progress.silent())
                .train(new TrainingData("t", series, List.of()));
        assertThat(result.scalers().symbols()).containsExactly("S0000", "S0001");
        assertThat(result.skipped()).containsOnlyKeys("TINY");
    }

    @Test
    void refusesDataWhereNoSymbolHasEnoughHistory() {
        TrainingData tiny =
                new TrainingData("t", SyntheticPrices.generate(1, 20, LocalDate.of(2024, 1, 1), 1), List.of());
        assertThatThrownBy(() -> new Trainer(SMALL, Trainer.Progress.silent()).train(tiny))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no symbol has 30 training rows");
    }

    @Test
    void recordsTheTrainingDataCodeVersionAndHeldOutMetricsInTheBundle() {
        String record = first.bundle().metadata().trainingData();
        assertThat(record)
                .contains("\"rows_sha256\" : \"" + data.contentSha256() + "\"")
                .contains("\"row_count\" : 600")
                .contains("\"code_version\" : \"test\"")
                .contains("\"seed\" : 7")
                .contains("\"mad_naive\"")
                .contains("\"mad_candidate\"")
                .contains("\"kafka_offsets\"");
        assertThat(first.bundle().hypers()).containsEntry("seed", 7L).containsEntry("batch_size", 32);
        assertThat(first.heldOut().candidate()).isPresent();
    }

    @Test
    void scalerFitMatchesScikitLearnStandardScaler() {
        List<DailyPrice> rows = List.of(
                new DailyPrice(LocalDate.of(2024, 1, 1), 1, 2, 1, 1.5, 1, 10),
                new DailyPrice(LocalDate.of(2024, 1, 2), 3, 4, 2, 3, 1, 10),
                new DailyPrice(LocalDate.of(2024, 1, 3), 3, 4, 2, 3, 1, 10));
        double[][] fit = ScalerFit.fit(rows);
        // open: 1, 3, 3 -> mean 7/3, population std sqrt(8/9)
        assertThat(fit[0][FeatureSpec.OPEN]).isCloseTo(7.0 / 3, within(1e-12));
        assertThat(fit[1][FeatureSpec.OPEN]).isCloseTo(Math.sqrt(8.0 / 9), within(1e-12));
        // close_ratio is 0.5 on every row: zero variance gets scale 1
        assertThat(fit[1][FeatureSpec.CLOSE_RATIO]).isEqualTo(1.0);
    }
}

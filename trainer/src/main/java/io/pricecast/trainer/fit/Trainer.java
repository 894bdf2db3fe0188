package io.pricecast.trainer.fit;

import static io.pricecast.model.features.FeatureSpec.FEATURE_COUNT;
import static io.pricecast.model.features.FeatureSpec.SCALED_COLUMNS;
import static io.pricecast.model.features.FeatureSpec.WINDOW_LENGTH;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.pricecast.model.features.DailyPrice;
import io.pricecast.model.features.Features;
import io.pricecast.model.network.BiGruWeights;
import io.pricecast.model.network.DjlBiGru;
import io.pricecast.model.network.DjlSettings;
import io.pricecast.model.network.Tensor;
import io.pricecast.model.scaler.ScalerSet;
import io.pricecast.trainer.data.TrainingData;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Trains the forecasting network on a {@link TrainingData} set with DJL autograd on the PyTorch engine:
 * per-symbol scalers fitted on each symbol's training rows (every symbol with at least
 * {@link TrainingConfig#minRows()} of them), shuffled mini-batches (MSE on the scaled next-day {@code v_open}),
 * Adam, and early stopping on a validation split by date (the best epoch's weights are kept).
 *
 * <p>Splits by forecast date, over all symbols: the last {@code holdoutDays} target days are held out (metrics),
 * the {@code validationDays} before them validate, everything earlier trains. Scalers see only training rows.
 *
 * <p>Deterministic: with one intra-op thread ({@link DjlSettings#DEFAULT_THREADS}), the same data and seed
 * give bit-identical weights (the initial weights and each epoch's shuffle come from a seeded
 * {@link SplittableRandom}; PyTorch's CPU kernels are deterministic on one thread).
 */
public final class Trainer {

    private static final int EVAL_CHUNK = 4096;

    private final TrainingConfig config;
    private final Progress progress;

    /** Receives one line per epoch (and a few others). */
    public interface Progress {
        void report(String line);

        static Progress silent() {
            return line -> {};
        }
    }

    public Trainer(TrainingConfig config, Progress progress) {
        this.config = config;
        this.progress = progress;
    }

    /** Where the data was cut. */
    public record Cutoffs(LocalDate validationFrom, LocalDate heldOutFrom, LocalDate lastDate) {}

    /** One epoch's losses. */
    public record Epoch(int epoch, double trainLoss, double validationLoss, long millis) {}

    /**
     * What training produced.
     *
     * @param scalers        one scaler per trained symbol
     * @param weights        the best epoch's weights with calibrated BatchNorm statistics
     * @param cutoffs        the split dates
     * @param history        every epoch run
     * @param bestEpoch      the epoch whose weights were kept (1-based)
     * @param trainWindows   training windows
     * @param validationWindows validation windows
     * @param skipped        symbols with too little history (and their training-row counts)
     */
    public record Result(
            ScalerSet scalers,
            BiGruWeights weights,
            Cutoffs cutoffs,
            List<Epoch> history,
            int bestEpoch,
            int trainWindows,
            int validationWindows,
            Map<String, Integer> skipped) {}

    /** The split dates for this data and configuration. */
    public Cutoffs cutoffs(TrainingData data) {
        LocalDate last = data.lastDate();
        LocalDate heldOutFrom = last.minusDays(config.holdoutDays() - 1L);
        LocalDate validationFrom = heldOutFrom.minusDays(config.validationDays());
        return new Cutoffs(validationFrom, heldOutFrom, last);
    }

    /**
     * @throws IllegalArgumentException when no symbol has enough history (the message names the minimum)
     */
    public Result train(TrainingData data) {
        Cutoffs cutoffs = cutoffs(data);
        ScalerSet.Builder scalerBuilder = ScalerSet.builder(SCALED_COLUMNS);
        Map<String, Integer> skipped = new TreeMap<>();
        Map<String, List<DailyPrice>> series = data.series();
        for (Map.Entry<String, List<DailyPrice>> entry : series.entrySet()) {
            List<DailyPrice> trainingRows = entry.getValue().stream()
                    .filter(r -> r.date().isBefore(cutoffs.validationFrom()))
                    .toList();
            if (trainingRows.size() < config.minRows()) {
                skipped.put(entry.getKey(), trainingRows.size());
                continue;
            }
            double[][] fit = ScalerFit.fit(trainingRows);
            scalerBuilder.put(entry.getKey(), fit[0], fit[1]);
        }
        ScalerSet scalers = scalerBuilder.build();
        if (scalers.size() == 0) {
            throw new IllegalArgumentException("no symbol has " + config.minRows() + " training rows before "
                    + cutoffs.validationFrom() + " (" + skipped.size() + " symbols skipped); lower --min-rows or "
                    + "--holdout-days/--validation-days, or train on more history");
        }
        Samples samples = Samples.build(series, scalers, cutoffs.validationFrom(), cutoffs.heldOutFrom());
        progress.report(String.format(
                "training on %d symbols (%d skipped: fewer than %d training rows), "
                        + "%d training and %d validation windows; validation from %s, held out from %s",
                scalers.size(),
                skipped.size(),
                config.minRows(),
                samples.train().size(),
                samples.validation().size(),
                cutoffs.validationFrom(),
                cutoffs.heldOutFrom()));
        if (samples.train().size() == 0) {
            throw new IllegalArgumentException("no training windows before " + cutoffs.validationFrom());
        }
        DjlSettings settings = DjlSettings.fromEnvironment();
        // starts the engine offline with the configured threads (the same switch the forward pass uses)
        startEngine(settings);
        try (NDManager root = Engine.getEngine(DjlBiGru.ENGINE).newBaseManager();
                TrainableBiGru net = TrainableBiGru.initialised(root, config.seed());
                Adam adam = new Adam(root, config.learningRate())) {
            List<Epoch> history = new ArrayList<>();
            SplittableRandom shuffle = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
            int[] calibration = strided(samples.train().endRows(), config.calibrationWindows());
            float[] calibrationWindows = new float[calibration.length * Features.WINDOW_SIZE];
            samples.windows(calibration, 0, calibration.length, calibrationWindows);
            double best = Double.POSITIVE_INFINITY;
            int bestEpoch = 0;
            List<Tensor> bestWeights = null;
            long started = System.nanoTime();
            for (int epoch = 1; epoch <= config.maxEpochs(); epoch++) {
                long epochStart = System.nanoTime();
                double trainLoss = epoch(root, net, adam, samples, shuffle);
                net.calibrateBatchNorm(calibrationWindows, calibration.length, EVAL_CHUNK);
                double validationLoss =
                        samples.validation().size() == 0 ? trainLoss : loss(root, net, samples, samples.validation());
                long millis = (System.nanoTime() - epochStart) / 1_000_000;
                history.add(new Epoch(epoch, trainLoss, validationLoss, millis));
                boolean improved = validationLoss < best;
                if (improved) {
                    best = validationLoss;
                    bestEpoch = epoch;
                    bestWeights = net.snapshot();
                }
                Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
                long remainingBound = Math.min(config.maxEpochs() - epoch, config.patience() - (epoch - bestEpoch));
                Duration eta = elapsed.dividedBy(epoch).multipliedBy(Math.max(0, remainingBound));
                progress.report(String.format(
                        "epoch %d/%d  train loss %.5f  validation loss %.5f%s  %.1f s  " + "ETA ≤ %s",
                        epoch,
                        config.maxEpochs(),
                        trainLoss,
                        validationLoss,
                        improved ? " (best)" : "",
                        millis / 1000.0,
                        human(eta)));
                if (epoch - bestEpoch >= config.patience()) {
                    progress.report("early stop: no better validation loss for " + config.patience()
                            + " epochs; keeping epoch " + bestEpoch);
                    break;
                }
            }
            if (bestWeights == null) {
                // every validation loss was NaN: the weights diverged; publishing them would be worse than nothing
                throw new IllegalStateException("training diverged: no epoch reached a finite validation loss "
                        + history.stream()
                                .map(e -> String.format(
                                        "%d: train %s, validation %s", e.epoch(), e.trainLoss(), e.validationLoss()))
                                .toList());
            }
            net.restore(bestWeights);
            return new Result(
                    scalers,
                    net.toWeights(),
                    cutoffs,
                    List.copyOf(history),
                    bestEpoch,
                    samples.train().size(),
                    samples.validation().size(),
                    skipped);
        }
    }

    private double epoch(NDManager root, TrainableBiGru net, Adam adam, Samples samples, SplittableRandom shuffle) {
        Samples.Split split = samples.train();
        int n = split.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int batch = config.batchSize();
        float[] windows = new float[batch * Features.WINDOW_SIZE];
        float[] targets = new float[batch];
        double sum = 0;
        Map<String, NDArray> parameters = net.trainedParameters();
        for (int from = 0; from < n; from += batch) {
            int count = Math.min(batch, n - from);
            samples.windows(split, order, from, count, windows, targets);
            try (NDManager step = root.newSubManager()) {
                NDArray x = Adam.torchOwned(step.create(
                        java.util.Arrays.copyOf(windows, count * Features.WINDOW_SIZE),
                        new Shape(count, WINDOW_LENGTH, FEATURE_COUNT)));
                NDArray y = Adam.torchOwned(step.create(java.util.Arrays.copyOf(targets, count), new Shape(count, 1)));
                try (GradientCollector collector =
                        Engine.getEngine(DjlBiGru.ENGINE).newGradientCollector()) {
                    NDArray loss = net.forward(x, true).sub(y).square().mean();
                    collector.backward(loss);
                    sum += loss.getFloat() * (double) count;
                }
                adam.update(parameters, step);
            }
        }
        return sum / n;
    }

    /** Mean squared error of the network (inference mode) on a split. */
    static double loss(NDManager root, TrainableBiGru net, Samples samples, Samples.Split split) {
        double sum = 0;
        float[] windows = new float[EVAL_CHUNK * Features.WINDOW_SIZE];
        for (int from = 0; from < split.size(); from += EVAL_CHUNK) {
            int count = Math.min(EVAL_CHUNK, split.size() - from);
            samples.windows(split.endRows(), from, count, windows);
            try (NDManager call = root.newSubManager()) {
                float[] out = net.forward(
                                Adam.torchOwned(call.create(
                                        java.util.Arrays.copyOf(windows, count * Features.WINDOW_SIZE),
                                        new Shape(count, WINDOW_LENGTH, FEATURE_COUNT))),
                                false)
                        .toFloatArray();
                for (int i = 0; i < count; i++) {
                    double d = out[i] - split.targets()[from + i];
                    sum += d * d;
                }
            }
        }
        return sum / split.size();
    }

    private static int[] strided(int[] values, int max) {
        if (values.length <= max) {
            return values.clone();
        }
        int[] out = new int[max];
        for (int i = 0; i < max; i++) {
            out[i] = values[(int) ((long) i * values.length / max)];
        }
        return out;
    }

    /** Starts the PyTorch engine with the project's settings (offline, thread counts) before first use. */
    static void startEngine(DjlSettings settings) {
        settings.apply();
        Engine.getEngine(DjlBiGru.ENGINE);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return (s / 60) + " min";
        }
        return String.format("%.1f h", s / 3600.0);
    }
}

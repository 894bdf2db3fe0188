package io.pricecast.trainer.fit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trainer's hyper-parameters. All of them are recorded in the bundle's {@code spec.json} (so they are part
 * of the content sha256).
 *
 * @param seed               seeds the initial weights and the shuffling of every epoch
 * @param batchSize          windows per gradient step (the notebook used 32)
 * @param learningRate       Adam learning rate
 * @param maxEpochs          upper bound on epochs
 * @param patience           epochs without a better validation loss before stopping early
 * @param holdoutDays        forecast days at the end of the data kept out of training and validation (metrics)
 * @param validationDays     forecast days before the held-out tail used for early stopping
 * @param minRows            training rows a symbol needs to get a scaler and training windows
 * @param calibrationWindows training windows (evenly strided) the BatchNorm statistics are computed on
 */
public record TrainingConfig(
        long seed,
        int batchSize,
        float learningRate,
        int maxEpochs,
        int patience,
        int holdoutDays,
        int validationDays,
        int minRows,
        int calibrationWindows) {

    public static final long DEFAULT_SEED = 42;

    public TrainingConfig {
        positive("batchSize", batchSize);
        positive("maxEpochs", maxEpochs);
        positive("patience", patience);
        positive("minRows", minRows);
        positive("calibrationWindows", calibrationWindows);
        if (holdoutDays < 0 || validationDays < 0) {
            throw new IllegalArgumentException(
                    "holdoutDays and validationDays must not be negative: " + holdoutDays + ", " + validationDays);
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a positive number: " + learningRate);
        }
    }

    /** The defaults of {@code ./pricecast train}. */
    public static TrainingConfig defaults() {
        return new TrainingConfig(DEFAULT_SEED, 32, 1e-3f, 50, 5, 30, 30, 30, 50_000);
    }

    public TrainingConfig withSeed(long newSeed) {
        return new TrainingConfig(
                newSeed,
                batchSize,
                learningRate,
                maxEpochs,
                patience,
                holdoutDays,
                validationDays,
                minRows,
                calibrationWindows);
    }

    /** The hyper-parameters as recorded in {@code spec.json}, including the notebook's feature settings. */
    public Map<String, Object> asHypers() {
        Map<String, Object> hypers = new LinkedHashMap<>();
        hypers.put("trainer", "pricecast-trainer/1");
        hypers.put("seed", seed);
        hypers.put("batch_size", batchSize);
        hypers.put("learning_rate", (double) learningRate);
        hypers.put("optimizer", "adam beta1=" + Adam.BETA_1 + " beta2=" + Adam.BETA_2 + " epsilon=" + Adam.EPSILON);
        hypers.put("loss", "mse");
        hypers.put("max_epochs", maxEpochs);
        hypers.put("patience", patience);
        hypers.put("holdout_days", holdoutDays);
        hypers.put("validation_days", validationDays);
        hypers.put("min_rows", minRows);
        hypers.put("calibration_windows", calibrationWindows);
        hypers.put("batch_norm", "moving statistics = population statistics over the calibration windows");
        hypers.put("seq_len", io.pricecast.model.features.FeatureSpec.WINDOW_LENGTH);
        hypers.put("target_col", io.pricecast.model.features.FeatureSpec.TARGET_COLUMN);
        hypers.put("feat_cols", io.pricecast.model.features.FeatureSpec.FEATURE_COLUMNS);
        return hypers;
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1: " + value);
        }
    }
}

package io.pricecast.trainer.cli;

import io.pricecast.trainer.fit.TrainingConfig;
import picocli.CommandLine.Option;

/** The hyper-parameter options of {@code train} (defaults: {@link TrainingConfig#defaults()}). */
final class TrainingOptions {

    private static final TrainingConfig D = TrainingConfig.defaults();

    @Option(
            names = "--seed",
            description = "seed of the initial weights and shuffling (default: " + TrainingConfig.DEFAULT_SEED + ")")
    Long seed;

    @Option(names = "--epochs", description = "most epochs (default: 50)")
    Integer epochs;

    @Option(names = "--patience", description = "epochs without a better validation loss before stopping (default: 5)")
    Integer patience;

    @Option(names = "--batch-size", description = "windows per step (default: 32)")
    Integer batchSize;

    @Option(names = "--learning-rate", description = "Adam learning rate (default: 0.001)")
    Float learningRate;

    @Option(names = "--holdout-days", description = "last forecast days kept out for metrics (default: 30)")
    Integer holdoutDays;

    @Option(names = "--validation-days", description = "forecast days before them for early stopping (default: 30)")
    Integer validationDays;

    @Option(names = "--min-rows", description = "training rows a symbol needs to be trained (default: 30)")
    Integer minRows;

    TrainingConfig toConfig() {
        return new TrainingConfig(
                seed == null ? D.seed() : seed,
                batchSize == null ? D.batchSize() : batchSize,
                learningRate == null ? D.learningRate() : learningRate,
                epochs == null ? D.maxEpochs() : epochs,
                patience == null ? D.patience() : patience,
                holdoutDays == null ? D.holdoutDays() : holdoutDays,
                validationDays == null ? D.validationDays() : validationDays,
                minRows == null ? D.minRows() : minRows,
                D.calibrationWindows());
    }
}

package io.pricecast.trainer.fit;

import io.pricecast.trainer.data.SyntheticPrices;
import io.pricecast.trainer.data.TrainingData;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Trains the determinism test's fixed data and configuration in a fresh JVM and prints the content sha256. */
public final class DeterminismProbe {

    static final TrainingConfig CONFIG = new TrainingConfig(7, 32, 3e-3f, 6, 3, 20, 20, 30, 10_000);

    private DeterminismProbe() {}

    static TrainingData data() {
        return new TrainingData("synthetic", SyntheticPrices.generate(4, 150, LocalDate.of(2024, 1, 1), 11), List.of());
    }

    public static void main(String[] args) {
        TrainingRun.Outcome outcome = TrainingRun.run(
                data(),
                CONFIG,
                "probe",
                Instant.parse("2026-01-01T00:00:00Z"),
                null,
                "test",
                Trainer.Progress.silent());
        System.out.println("sha256=" + outcome.bundle().contentSha256());
        System.out.println("mad=" + outcome.heldOut().candidate().getAsDouble());
    }
}

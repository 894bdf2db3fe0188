package io.pricecast.trainer.fit;

import static io.pricecast.model.features.FeatureSpec.SCALED_COUNT;

import io.pricecast.model.features.DailyPrice;
import io.pricecast.model.features.Features;
import java.util.List;

/**
 * Fits one symbol's standard scalers the way scikit-learn's {@code StandardScaler} does: per scaled column,
 * the mean and the population standard deviation (ddof 0) of the unscaled features of the model library
 * ({@link Features#unscaled}); a column with zero variance gets scale 1. Sums run in double precision in row
 * order, so the result is a deterministic function of the rows.
 */
public final class ScalerFit {

    private ScalerFit() {}

    /** {@code [means, scales]}, each {@value io.pricecast.model.features.FeatureSpec#SCALED_COUNT} long. */
    public static double[][] fit(List<DailyPrice> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("cannot fit a scaler on no rows");
        }
        double[][] features = Features.unscaled(rows);
        double[] means = new double[SCALED_COUNT];
        double[] scales = new double[SCALED_COUNT];
        for (int c = 0; c < SCALED_COUNT; c++) {
            double sum = 0;
            for (double[] row : features) {
                sum += row[c];
            }
            double mean = sum / features.length;
            double squares = 0;
            for (double[] row : features) {
                double d = row[c] - mean;
                squares += d * d;
            }
            double std = Math.sqrt(squares / features.length);
            means[c] = mean;
            scales[c] = std == 0.0 || !Double.isFinite(std) ? 1.0 : std;
        }
        return new double[][] {means, scales};
    }
}

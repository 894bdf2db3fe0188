package io.pricecast.model.features;

import static io.pricecast.model.features.FeatureSpec.BASE_COUNT;
import static io.pricecast.model.features.FeatureSpec.CLOSE;
import static io.pricecast.model.features.FeatureSpec.CLOSE_RATIO;
import static io.pricecast.model.features.FeatureSpec.FEATURE_COUNT;
import static io.pricecast.model.features.FeatureSpec.HIGH;
import static io.pricecast.model.features.FeatureSpec.LOG_SHARES_INDEX;
import static io.pricecast.model.features.FeatureSpec.LOW;
import static io.pricecast.model.features.FeatureSpec.OPEN;
import static io.pricecast.model.features.FeatureSpec.SPREAD;
import static io.pricecast.model.features.FeatureSpec.VELOCITY_OFFSET;

/**
 * The unscaled 13 features of one row, given the symbol's previous row (docs/model.md, "Exact semantics").
 * A pure function; {@link SeriesState} scales its result.
 */
public final class RawFeatures {

    private RawFeatures() {}

    /**
     * @param previous the symbol's previous row, or {@code null} on the symbol's first row
     * @param current  the row to describe
     * @return 13 unscaled features in {@link FeatureSpec#FEATURE_COLUMNS} order
     */
    public static double[] of(DailyPrice previous, DailyPrice current) {
        double[] features = new double[FEATURE_COUNT];
        base(current, features);
        if (previous != null) {
            double[] before = new double[BASE_COUNT];
            base(previous, before);
            for (int c = 0; c < BASE_COUNT; c++) {
                features[c + VELOCITY_OFFSET] = features[c] - before[c];
            }
        }
        features[LOG_SHARES_INDEX] = logShares(current);
        return features;
    }

    /** {@code log(ceil(market / close))}, 0 where that is not finite (for example market == 0). */
    public static double logShares(DailyPrice row) {
        double value = Math.log(Math.ceil(row.market() / row.close()));
        return Double.isFinite(value) ? value : 0.0;
    }

    /** {@code (close - low) / (high - low)}, 0 where {@code high == low}. */
    public static double closeRatio(DailyPrice row) {
        double spread = row.high() - row.low();
        return spread == 0.0 ? 0.0 : (row.close() - row.low()) / spread;
    }

    private static void base(DailyPrice row, double[] into) {
        into[OPEN] = row.open();
        into[HIGH] = row.high();
        into[LOW] = row.low();
        into[CLOSE] = row.close();
        into[CLOSE_RATIO] = closeRatio(row);
        into[SPREAD] = row.high() - row.low();
    }
}

package io.pricecast.model.features;

import static io.pricecast.model.features.FeatureSpec.FEATURE_COUNT;
import static io.pricecast.model.features.FeatureSpec.WINDOW_LENGTH;

import io.pricecast.model.scaler.SymbolScaler;
import java.util.List;

/** The batch form of the feature pipeline: a fold of {@link SeriesState#next} over a symbol's rows. */
public final class Features {

    /** Floats in one window. */
    public static final int WINDOW_SIZE = WINDOW_LENGTH * FEATURE_COUNT;

    private Features() {}

    /**
     * One window per row, flattened: window {@code i} (ending on {@code rows.get(i)}) occupies
     * {@code [i * 65, (i + 1) * 65)} in {@code [time][feature]} order.
     *
     * @param rows one symbol's rows, strictly increasing dates
     */
    public static float[] windows(List<DailyPrice> rows, SymbolScaler scaler) {
        float[] flat = new float[rows.size() * WINDOW_SIZE];
        SeriesState state = SeriesState.empty();
        for (int i = 0; i < rows.size(); i++) {
            SeriesState.Step step = state.next(rows.get(i), scaler);
            state = step.state();
            copy(step.window(), flat, i * WINDOW_SIZE);
        }
        return flat;
    }

    /** Copies a {@code [time][feature]} window into {@code flat} from {@code offset}, in the layout of {@link #windows}. */
    public static void copy(float[][] window, float[] flat, int offset) {
        for (int t = 0; t < WINDOW_LENGTH; t++) {
            System.arraycopy(window[t], 0, flat, offset + t * FEATURE_COUNT, FEATURE_COUNT);
        }
    }

    /** Unscaled features of every row ({@code [row][13]}), e.g. for fitting new scalers when training. */
    public static double[][] unscaled(List<DailyPrice> rows) {
        double[][] features = new double[rows.size()][];
        DailyPrice previous = null;
        for (int i = 0; i < rows.size(); i++) {
            features[i] = RawFeatures.of(previous, rows.get(i));
            previous = rows.get(i);
        }
        return features;
    }
}

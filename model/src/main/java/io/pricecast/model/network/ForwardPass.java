package io.pricecast.model.network;

import io.pricecast.model.features.FeatureSpec;
import io.pricecast.model.features.Features;

/**
 * The forecasting network's forward pass over a batch of feature windows. Implementations are thread-safe.
 */
public interface ForwardPass {

    /**
     * @param windows   {@code batch} windows of {@value FeatureSpec#WINDOW_LENGTH} x {@value FeatureSpec#FEATURE_COUNT}
     *                  floats each, flattened row-major ({@code [window][time][feature]})
     * @param batchSize number of windows
     * @return one output (the scaled next-day {@code v_open}) per window
     */
    float[] predict(float[] windows, int batchSize);

    /** Convenience for {@code [batch][5][13]} arrays. */
    default float[] predict(float[][][] windows) {
        float[] flat = new float[windows.length * Features.WINDOW_SIZE];
        for (int b = 0; b < windows.length; b++) {
            if (windows[b].length != FeatureSpec.WINDOW_LENGTH) {
                throw new IllegalArgumentException(
                        "window " + b + " has " + windows[b].length + " rows, expected " + FeatureSpec.WINDOW_LENGTH);
            }
            for (int t = 0; t < FeatureSpec.WINDOW_LENGTH; t++) {
                if (windows[b][t].length != FeatureSpec.FEATURE_COUNT) {
                    throw new IllegalArgumentException("window " + b + " row " + t + " has " + windows[b][t].length
                            + " features, expected " + FeatureSpec.FEATURE_COUNT);
                }
                System.arraycopy(
                        windows[b][t],
                        0,
                        flat,
                        (b * FeatureSpec.WINDOW_LENGTH + t) * FeatureSpec.FEATURE_COUNT,
                        FeatureSpec.FEATURE_COUNT);
            }
        }
        return predict(flat, windows.length);
    }

    /** Checks the flat input's length against the batch size. */
    static void requireBatch(float[] windows, int batchSize) {
        if (batchSize < 0 || windows.length != (long) batchSize * Features.WINDOW_SIZE) {
            throw new IllegalArgumentException("expected " + batchSize + " windows of " + Features.WINDOW_SIZE
                    + " floats, got " + windows.length + " floats");
        }
    }
}

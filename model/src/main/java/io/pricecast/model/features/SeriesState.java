package io.pricecast.model.features;

import static io.pricecast.model.features.FeatureSpec.FEATURE_COUNT;
import static io.pricecast.model.features.FeatureSpec.LOG_SHARES_INDEX;
import static io.pricecast.model.features.FeatureSpec.SCALED_COUNT;
import static io.pricecast.model.features.FeatureSpec.WINDOW_LENGTH;

import io.pricecast.model.scaler.SymbolScaler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one symbol's feature pipeline remembers between days: the previous raw row (for first differences)
 * and the last up to {@value FeatureSpec#WINDOW_LENGTH} scaled feature rows. Immutable; {@link #next}
 * returns a new state and the window ending on the new row. The batch form ({@link Features#windows})
 * is a fold of this, so streaming and offline scoring share one code path.
 */
public final class SeriesState {

    private static final SeriesState EMPTY = new SeriesState(null, List.of());

    private final DailyPrice previous;
    private final List<float[]> recentRows;

    private SeriesState(DailyPrice previous, List<float[]> recentRows) {
        this.previous = previous;
        this.recentRows = recentRows;
    }

    /** The state of a symbol that has no rows yet. */
    public static SeriesState empty() {
        return EMPTY;
    }

    /**
     * Rebuilds a state from its parts (for example from a state store).
     *
     * @param previous   the last raw row seen, or {@code null} for an empty state
     * @param recentRows up to {@value FeatureSpec#WINDOW_LENGTH} scaled rows of {@value FeatureSpec#FEATURE_COUNT}
     *                   features, oldest first
     */
    public static SeriesState of(DailyPrice previous, List<float[]> recentRows) {
        if (recentRows.size() > WINDOW_LENGTH) {
            throw new IllegalArgumentException("at most " + WINDOW_LENGTH + " recent rows, got " + recentRows.size());
        }
        if (previous == null && !recentRows.isEmpty()) {
            throw new IllegalArgumentException("recent rows without a previous row");
        }
        List<float[]> copy = new ArrayList<>(recentRows.size());
        for (float[] row : recentRows) {
            if (row.length != FEATURE_COUNT) {
                throw new IllegalArgumentException("a feature row has " + FEATURE_COUNT + " values, got " + row.length);
            }
            copy.add(row.clone());
        }
        return new SeriesState(previous, Collections.unmodifiableList(copy));
    }

    /** The last raw row, or {@code null} when no row was seen. */
    public DailyPrice previous() {
        return previous;
    }

    /** Copies of the last up to 5 scaled feature rows, oldest first. */
    public List<float[]> recentRows() {
        List<float[]> copy = new ArrayList<>(recentRows.size());
        recentRows.forEach(row -> copy.add(row.clone()));
        return copy;
    }

    /**
     * Advances by one row.
     *
     * @throws IllegalArgumentException when {@code row} is not strictly after the previous row's date
     */
    public Step next(DailyPrice row, SymbolScaler scaler) {
        if (previous != null && !row.date().isAfter(previous.date())) {
            throw new IllegalArgumentException("symbol " + scaler.symbol() + ": row dated " + row.date()
                    + " does not follow the previous row dated " + previous.date());
        }
        float[] scaled = scaledRow(RawFeatures.of(previous, row), scaler);
        List<float[]> rows = new ArrayList<>(WINDOW_LENGTH);
        int keep = Math.min(recentRows.size(), WINDOW_LENGTH - 1);
        rows.addAll(recentRows.subList(recentRows.size() - keep, recentRows.size()));
        rows.add(scaled);
        SeriesState state = new SeriesState(row, Collections.unmodifiableList(rows));
        return new Step(state, state.window());
    }

    /** The current window, {@code [5][13]}, zero-padded at the front. */
    public float[][] window() {
        float[][] window = new float[WINDOW_LENGTH][FEATURE_COUNT];
        int pad = WINDOW_LENGTH - recentRows.size();
        for (int i = 0; i < recentRows.size(); i++) {
            System.arraycopy(recentRows.get(i), 0, window[pad + i], 0, FEATURE_COUNT);
        }
        return window;
    }

    /** Scales the 12 scaled columns with the symbol's scaler; log_shares passes through. */
    static float[] scaledRow(double[] raw, SymbolScaler scaler) {
        float[] scaled = new float[FEATURE_COUNT];
        for (int c = 0; c < SCALED_COUNT; c++) {
            scaled[c] = (float) scaler.transform(c, raw[c]);
        }
        scaled[LOG_SHARES_INDEX] = (float) raw[LOG_SHARES_INDEX];
        return scaled;
    }

    /** The result of {@link #next}: the new state and the window ending on the new row. */
    public record Step(SeriesState state, float[][] window) {}
}

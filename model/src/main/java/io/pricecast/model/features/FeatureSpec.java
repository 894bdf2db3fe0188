package io.pricecast.model.features;

import java.util.List;
import java.util.stream.Stream;

/**
 * The feature specification of docs/model.md ("Exact semantics"), version {@value #VERSION}: names, order and window length.
 * Every column index used by the feature and scaler code comes from here.
 */
public final class FeatureSpec {

    /** Version recorded in every model bundle; bump it when the semantics of any feature change. */
    public static final String VERSION = "pricecast-features/1";

    /** Rows per window (the last rows up to and including day D, zero-padded at the front). */
    public static final int WINDOW_LENGTH = 5;

    /** The 12 scaled columns, in feature order. */
    public static final List<String> SCALED_COLUMNS = List.of(
            "open",
            "high",
            "low",
            "close",
            "close_ratio",
            "spread",
            "v_open",
            "v_high",
            "v_low",
            "v_close",
            "v_close_ratio",
            "v_spread");

    /** The unscaled trailing column. */
    public static final String LOG_SHARES = "log_shares";

    /** All 13 features, in the order the network expects: the scaled columns, then {@link #LOG_SHARES}. */
    public static final List<String> FEATURE_COLUMNS = List.copyOf(
            Stream.concat(SCALED_COLUMNS.stream(), Stream.of(LOG_SHARES)).toList());

    public static final int SCALED_COUNT = SCALED_COLUMNS.size();
    public static final int FEATURE_COUNT = FEATURE_COLUMNS.size();

    /** Number of base columns (open, high, low, close, close_ratio, spread) that get a first difference. */
    public static final int BASE_COUNT = 6;

    public static final int OPEN = 0;
    public static final int HIGH = 1;
    public static final int LOW = 2;
    public static final int CLOSE = 3;
    public static final int CLOSE_RATIO = 4;
    public static final int SPREAD = 5;
    /** Index of the first difference {@code v_x} of base column {@code x} is {@code x + VELOCITY_OFFSET}. */
    public static final int VELOCITY_OFFSET = BASE_COUNT;

    public static final int V_OPEN = OPEN + VELOCITY_OFFSET;
    public static final int LOG_SHARES_INDEX = SCALED_COUNT;

    /** The network's output is the scaled value of this column on the next day. */
    public static final String TARGET_COLUMN = "v_open";

    public static final int TARGET_INDEX = V_OPEN;

    private FeatureSpec() {}
}

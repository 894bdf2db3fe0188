package io.pricecast.schemas;

/**
 * The two rolling windows of the {@code Accuracy} record ({@code scored_7}, {@code mad_7}, ... and
 * {@code scored_30}, {@code mad_30}, ...; docs/accuracy.md), for readers of that record that do not compute it.
 * The model library's {@code RollingAccuracy}, which computes the figures, has the same two numbers; a sink test
 * checks they agree.
 */
public final class AccuracyWindows {

    /** The short window, in calendar days. */
    public static final int SHORT_DAYS = 7;
    /** The long window, in calendar days (also what the flag compares). */
    public static final int LONG_DAYS = 30;

    private AccuracyWindows() {}
}

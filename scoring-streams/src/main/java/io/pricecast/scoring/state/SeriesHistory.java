package io.pricecast.scoring.state;

import io.pricecast.model.accuracy.SeriesAccuracy;
import java.util.Objects;

/**
 * Everything the scorer keeps about one series ({@code dataset|series}), in one store entry: its newest records
 * (the window, whose newest entry is the series' head for the history rules) and its accuracy bookkeeping (the
 * forecasts waiting for their actuals and the rolling errors per model version).
 *
 * @param window   the newest records, raw, with their Kafka positions
 * @param accuracy the accuracy bookkeeping (mutable: changed in place, then written back)
 */
public record SeriesHistory(SeriesWindow window, SeriesAccuracy accuracy) {

    public SeriesHistory {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(accuracy, "accuracy");
    }

    /** @return the history of a series never seen */
    public static SeriesHistory empty() {
        return new SeriesHistory(SeriesWindow.EMPTY, SeriesAccuracy.empty());
    }

    /** @return this history with its window advanced (the accuracy bookkeeping is the same object) */
    public SeriesHistory withWindow(SeriesWindow advanced) {
        return new SeriesHistory(advanced, accuracy);
    }
}

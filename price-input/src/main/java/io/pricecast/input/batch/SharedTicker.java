package io.pricecast.input.batch;

import io.pricecast.input.SeriesKey;
import java.util.List;

/**
 * A ticker used by more than one coin in one batch (its rows carry different slugs, e.g. BITS). Its
 * coins are kept apart as separate series, listed here.
 */
public record SharedTicker(String symbol, List<SeriesKey> series) {

    public SharedTicker {
        series = List.copyOf(series);
    }

    /** A human note for reports. */
    public String describe() {
        return "ticker " + symbol + " is used by " + series.size() + " coins; kept apart as "
                + String.join(", ", series.stream().map(SeriesKey::id).toList());
    }
}

package io.pricecast.input.batch;

import io.pricecast.input.PriceRow;
import io.pricecast.input.Rejection;
import io.pricecast.input.SeriesKey;

/**
 * Receives every record of a batch exactly once, as one of three outcomes. Rejections found while
 * reading arrive as they are read; accepted rows and duplicates arrive after the whole batch was read,
 * ordered by series then date (each series in date order, series one after another).
 */
public interface BatchOutcomes {

    void accepted(SeriesKey series, PriceRow row);

    /** An exact repeat of a day the series already has (in this batch or before it); not to publish. */
    void duplicate(SeriesKey series, PriceRow row);

    void rejected(Rejection rejection);
}

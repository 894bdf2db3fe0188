package io.pricecast.model.features;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One day of one symbol's prices, as the model sees it. The input parsers map their records to this.
 *
 * @param date   the trading day
 * @param open   opening price
 * @param high   daily high
 * @param low    daily low
 * @param close  closing price
 * @param volume traded volume (not a model feature; kept for lineage and future models)
 * @param market market capitalisation (0 when unknown)
 */
public record DailyPrice(
        LocalDate date, double open, double high, double low, double close, double volume, double market) {
    public DailyPrice {
        Objects.requireNonNull(date, "date");
    }
}

package io.pricecast.scorefile;

import io.pricecast.model.features.DailyPrice;

/** Receives a price file's rows in file order, valid or not. */
public interface PriceRowListener {

    /**
     * A valid row.
     *
     * @param line   1-based physical line number in the file (the header is line 1)
     * @param symbol the row's ticker symbol
     * @param price  the parsed prices
     */
    void onRow(long line, String symbol, DailyPrice price);

    /**
     * A row that was refused.
     *
     * @param line   1-based line number
     * @param reason human-readable reason, e.g. {@code "open: not a number: 'abc'"}
     */
    void onInvalid(long line, String reason);

    /**
     * An exact repeat of an accepted row (same symbol, date and values): counted, not scored twice.
     *
     * @param line   1-based line number of the repeat
     * @param symbol the row's series id
     */
    default void onDuplicate(long line, String symbol) {}
}

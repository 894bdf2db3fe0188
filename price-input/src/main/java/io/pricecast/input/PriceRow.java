package io.pricecast.input;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One validated daily price record.
 *
 * <p>{@code slug} and {@code name} are empty strings when the input does not carry them, never null.
 * {@code line} is the lineage position of the record: the 1-based physical line of the file it came
 * from (the header is line 1), or, for a console message, the offset the caller passed in.
 */
public record PriceRow(
        String symbol,
        String slug,
        String name,
        LocalDate date,
        double open,
        double high,
        double low,
        double close,
        double volume,
        double market,
        long line) {

    public PriceRow {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(date, "date");
        slug = slug == null ? "" : slug;
        name = name == null ? "" : name;
    }

    /** True when both rows carry the same day and the same numbers; names and lineage are ignored. */
    public boolean sameValuesAs(PriceRow other) {
        return date.equals(other.date)
                && Double.compare(open, other.open) == 0
                && Double.compare(high, other.high) == 0
                && Double.compare(low, other.low) == 0
                && Double.compare(close, other.close) == 0
                && Double.compare(volume, other.volume) == 0
                && Double.compare(market, other.market) == 0;
    }

    /** The row in the short CSV order {@code symbol,date,open,high,low,close,volume,market}, for messages. */
    public String toShortCsv() {
        return String.join(
                ",",
                symbol,
                date.toString(),
                Double.toString(open),
                Double.toString(high),
                Double.toString(low),
                Double.toString(close),
                Double.toString(volume),
                Double.toString(market));
    }
}

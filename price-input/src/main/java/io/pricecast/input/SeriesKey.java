package io.pricecast.input;

import java.util.Objects;

/**
 * Identifies one price series within a dataset: the ticker, plus the coin's slug when the ticker is
 * shared by several coins in the same input (e.g. {@code BITS@bitstar} and {@code BITS@bitswift}).
 *
 * @param symbol the ticker
 * @param qualifier the slug that tells a shared ticker's coins apart, or an empty string
 */
public record SeriesKey(String symbol, String qualifier) implements Comparable<SeriesKey> {

    /** Separates the ticker from the qualifier in {@link #id()}. */
    public static final char QUALIFIER_SEPARATOR = '@';

    public SeriesKey {
        Objects.requireNonNull(symbol, "symbol");
        qualifier = qualifier == null ? "" : qualifier;
    }

    /** A key for a ticker that is not shared. */
    public static SeriesKey of(String symbol) {
        return new SeriesKey(symbol, "");
    }

    /** {@code symbol}, or {@code symbol@qualifier} for a shared ticker: the id used in keys and exports. */
    public String id() {
        return qualifier.isEmpty() ? symbol : symbol + QUALIFIER_SEPARATOR + qualifier;
    }

    @Override
    public int compareTo(SeriesKey other) {
        int bySymbol = symbol.compareTo(other.symbol);
        return bySymbol != 0 ? bySymbol : qualifier.compareTo(other.qualifier);
    }

    @Override
    public String toString() {
        return id();
    }
}

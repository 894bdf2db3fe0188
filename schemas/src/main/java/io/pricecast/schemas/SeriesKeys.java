package io.pricecast.schemas;

/**
 * The record key of every topic about one series ({@code prices.clean}, {@code prices.accepted}, {@code predictions},
 * {@code accuracy}, and scoring's rejections): {@code dataset|series}, so one series always lands on one partition and
 * its records keep their order. Datasets never contain {@code |} (ingest's dataset names are {@code [A-Za-z0-9._-]}),
 * so the first {@code |} separates the two. A refused record whose series is not known yet (ingest refuses before it
 * reads a valid symbol) is keyed {@code dataset|} ({@link #seriesUnknown}), so every key of {@code prices.rejected}
 * has the same shape whichever service refused it.
 */
public final class SeriesKeys {

    /** Separates the dataset from the series id. */
    public static final char SEPARATOR = '|';

    private SeriesKeys() {}

    /**
     * @param dataset the dataset
     * @param series  the series id ({@code BTC}, or {@code BITS@bitstar} for a ticker shared by two coins)
     * @return {@code dataset|series}
     */
    public static String of(String dataset, String series) {
        return dataset + SEPARATOR + series;
    }

    /**
     * @param dataset the dataset
     * @return {@code dataset|}: the key of a refused record whose series is not known
     */
    public static String seriesUnknown(String dataset) {
        return of(dataset, "");
    }

    /**
     * @param key a series key
     * @return its dataset: the text before the first {@code |}, or the whole key when it has none
     */
    public static String dataset(String key) {
        int at = key.indexOf(SEPARATOR);
        return at < 0 ? key : key.substring(0, at);
    }

    /**
     * @param key a series key
     * @return its series id: the text after the first {@code |}, or null when it has none
     */
    public static String series(String key) {
        int at = key.indexOf(SEPARATOR);
        return at < 0 ? null : key.substring(at + 1);
    }
}

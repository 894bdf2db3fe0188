package io.pricecast.ingest.publish;

/** Keys of {@code prices.clean} and {@code prices.rejected}: one series always lands on one partition. */
public final class RecordKeys {

    /** Separates the dataset from the series id in a key. */
    public static final char SEPARATOR = '|';

    private RecordKeys() {
    }

    /**
     * @param dataset the dataset
     * @param series  the series id ({@code SeriesKey.id()}: {@code BTC}, or {@code BITS@bitstar})
     * @return {@code dataset|series}
     */
    public static String of(String dataset, String series) {
        return dataset + SEPARATOR + series;
    }
}

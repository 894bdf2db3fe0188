package io.pricecast.trainer.data;

import io.pricecast.schemas.SharedTables;

/**
 * Every read the trainer makes of the sink's tables ({@link SharedTables#SYMBOLS_BY_DATASET},
 * {@link SharedTables#PRICES_BY_SERIES}), as CQL text for one keyspace. {@link CassandraPrices} prepares them; nothing
 * else in the trainer names a table.
 */
public final class TrainingQueries {

    /** The columns of a row's stored position: its {@code lineage}, or the V1 columns of a row written before it. */
    private static final String PRICE_COLUMNS =
            "date, open, high, low, close, volume, market, lineage, kafka_topic, " + "kafka_partition, kafka_offset";

    private final String keyspace;

    /** @param keyspace the keyspace the sink writes */
    public TrainingQueries(String keyspace) {
        this.keyspace = keyspace;
    }

    /** @return a dataset's symbols; binds {@code dataset} */
    public String symbols() {
        return "SELECT symbol FROM " + table(SharedTables.SYMBOLS_BY_DATASET) + " WHERE dataset = ?";
    }

    /** @return one series' prices in a date range, with their stored position; binds {@code dataset, symbol, from, to} */
    public String prices() {
        return "SELECT " + PRICE_COLUMNS + " FROM " + table(SharedTables.PRICES_BY_SERIES)
                + " WHERE dataset = ? AND symbol = ? AND date >= ? AND date <= ?";
    }

    /** @return one series' prices up to a day, with their whole lineage; binds {@code dataset, symbol, to} */
    public String stored() {
        return "SELECT " + PRICE_COLUMNS
                + ", upload_id, file_line, raw_topic, raw_partition, raw_offset, ingest_version, " + "received_at FROM "
                + table(SharedTables.PRICES_BY_SERIES) + " WHERE dataset = ? AND symbol = ? AND date <= ?";
    }

    /**
     * @param dataset the dataset read
     * @return how a training set names where its prices came from, e.g. {@code cassandra prices_by_series dataset=...}
     */
    public static String source(String dataset) {
        return "cassandra " + SharedTables.PRICES_BY_SERIES + " dataset=" + dataset;
    }

    private String table(String name) {
        return keyspace + "." + name;
    }
}

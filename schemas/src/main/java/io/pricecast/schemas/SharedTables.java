package io.pricecast.schemas;

/**
 * Cassandra tables one service writes and another reads. Each is created by its writer's CQL files; the reader
 * names it from here.
 */
public final class SharedTables {

    /** Written by the sink from {@code uploads.verdicts}; read by ingest for an upload's status. */
    public static final String UPLOAD_VERDICTS = "upload_verdicts";
    /** Written by the sink from {@code prices.accepted}; read by the trainer and the rescore command. */
    public static final String PRICES_BY_SERIES = "prices_by_series";
    /** Written by the sink; read by the trainer and the rescore command to list a dataset's series. */
    public static final String SYMBOLS_BY_DATASET = "symbols_by_dataset";
    /**
     * Written by the sink from {@code predictions}; read by the sink's export and lineage routes and by the bench (a
     * forecast's write latency).
     */
    public static final String PREDICTIONS_BY_SERIES = "predictions_by_series";

    private SharedTables() {}
}

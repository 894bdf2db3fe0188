package io.pricecast.schemas;

import java.util.List;

/**
 * The topic catalogue: every topic name is spelled here and nowhere else.
 *
 * <p>Partition counts are deployment settings (see {@code PRICECAST_PARTITIONS}); the flags here
 * are properties of the topic itself.
 */
public final class Topics {

    /** One raw record per message from the console producer: a JSON object or a CSV line. */
    public static final Topic PRICES_RAW = new Topic("prices.raw", false, true);
    /**
     * {@code PriceRecord}s that passed ingest's per-record and within-file rules, keyed by dataset and series; not yet
     * judged against the series' history (scoring does that).
     */
    public static final Topic PRICES_CLEAN = new Topic("prices.clean", false, true);
    /**
     * The {@code PriceRecord}s of prices.clean that extended their series (newer than its newest day), written by
     * scoring in the transaction that judged them, keyed like their input: the series as stored.
     */
    public static final Topic PRICES_ACCEPTED = new Topic("prices.accepted", false, true);
    /** Every refused input record with its machine-readable reason and a human message. */
    public static final Topic PRICES_REJECTED = new Topic("prices.rejected", false, true);
    /** One {@code Prediction} per scored record, keyed like its input. */
    public static final Topic PREDICTIONS = new Topic("predictions", false, true);
    /** One {@code Accuracy} per forecast scored against its actual, keyed like the series. */
    public static final Topic ACCURACY = new Topic("accuracy", false, true);
    /** {@code UploadVerdicts}: how scoring judged each upload's records, per prices.clean partition, keyed by upload id. */
    public static final Topic UPLOAD_VERDICTS = new Topic("uploads.verdicts", false, true);
    /** Model versions and the active-model pointer; compacted, one partition so order is global. */
    public static final Topic MODELS = new Topic("models", true, false);

    /** Every topic the system needs, in creation order. */
    public static final List<Topic> ALL = List.of(PRICES_RAW, PRICES_CLEAN, PRICES_ACCEPTED, PRICES_REJECTED, PREDICTIONS,
            ACCURACY, UPLOAD_VERDICTS, MODELS);

    private Topics() {
    }

    /**
     * A topic of the catalogue.
     *
     * @param name        the topic name
     * @param compacted   whether the topic uses {@code cleanup.policy=compact}
     * @param partitioned whether it takes the configured partition count (otherwise one partition)
     */
    public record Topic(String name, boolean compacted, boolean partitioned) {
        @Override
        public String toString() {
            return name;
        }
    }
}

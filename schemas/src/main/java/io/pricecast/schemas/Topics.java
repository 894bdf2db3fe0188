package io.pricecast.schemas;

import java.util.List;

/**
 * The topic catalogue: every topic name is spelled here and nowhere else.
 *
 * <p>Partition counts are deployment settings (see {@code PRICECAST_PARTITIONS}); the flags here
 * are properties of the topic itself.
 *
 * <p>Retention: every topic but the compacted {@code models} is {@link Topic#keptForever() kept forever}. The stored
 * lineage names positions in them (the console record a price came from, the window records a forecast was made
 * from and the actual it was scored against, where the sink read each persisted row, each refusal), and those must
 * stay readable however old the prediction is; and everything the sink persists can be replayed into Cassandra
 * from the first offset (docs/architecture.md, "Retention").
 */
public final class Topics {

    /** One raw record per message from the console producer: a JSON object or a CSV line. */
    public static final Topic PRICES_RAW = new Topic("prices.raw", false, true, true);
    /**
     * {@code PriceRecord}s that passed ingest's per-record and within-file rules, keyed by dataset and series; not yet
     * judged against the series' history (scoring does that).
     */
    public static final Topic PRICES_CLEAN = new Topic("prices.clean", false, true, true);
    /**
     * The {@code PriceRecord}s of prices.clean that extended their series (newer than its newest day), written by
     * scoring in the transaction that judged them, keyed like their input: the series as stored.
     */
    public static final Topic PRICES_ACCEPTED = new Topic("prices.accepted", false, true, true);
    /** Every refused input record with its machine-readable reason and a human message. */
    public static final Topic PRICES_REJECTED = new Topic("prices.rejected", false, true, true);
    /** One {@code Prediction} per scored record, keyed like its input. */
    public static final Topic PREDICTIONS = new Topic("predictions", false, true, true);
    /** One {@code Accuracy} per forecast scored against its actual, keyed like the series. */
    public static final Topic ACCURACY = new Topic("accuracy", false, true, true);
    /** {@code UploadVerdicts}: how scoring judged each upload's records, per prices.clean partition, keyed by upload id. */
    public static final Topic UPLOAD_VERDICTS = new Topic("uploads.verdicts", false, true, true);
    /** Model versions and the active-model pointer; compacted, one partition so order is global. */
    public static final Topic MODELS = new Topic("models", true, false);

    /** Every topic the system needs, in creation order. */
    public static final List<Topic> ALL = List.of(
            PRICES_RAW, PRICES_CLEAN, PRICES_ACCEPTED, PRICES_REJECTED, PREDICTIONS, ACCURACY, UPLOAD_VERDICTS, MODELS);

    /** The topics kept forever: every one that is not compacted. */
    public static final List<Topic> KEPT_FOREVER =
            ALL.stream().filter(Topic::keptForever).toList();

    private Topics() {}

    /**
     * A topic of the catalogue.
     *
     * @param name        the topic name
     * @param compacted   whether the topic uses {@code cleanup.policy=compact}
     * @param partitioned whether it takes the configured partition count (otherwise one partition)
     * @param keptForever whether its records are never deleted ({@code retention.ms=-1}, {@code retention.bytes=-1}):
     *                    lineage names their offsets; false leaves retention to the broker's default (or to compaction)
     */
    public record Topic(String name, boolean compacted, boolean partitioned, boolean keptForever) {

        /** A topic with the broker's default retention. */
        public Topic(String name, boolean compacted, boolean partitioned) {
            this(name, compacted, partitioned, false);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}

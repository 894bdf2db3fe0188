package io.pricecast.schemas;

/**
 * The reason codes scoring-streams gives, on {@code prices.rejected} (stage {@code scoring}) and in
 * {@code UploadVerdicts}. The first three judge a record against its series' history, one rule in one place
 * (docs/ingest-rules.md, "History rules"); the others say why an accepted record got no forecast.
 */
public final class HistoryReasons {

    /** The newest day the series already has, again with the same numbers: counted, not stored or published again. */
    public static final String DUPLICATE = "duplicate";
    /** The newest day the series already has, with other numbers: refused (a correction is never applied silently). */
    public static final String CONFLICTING_DUPLICATE = "conflicting_duplicate";
    /** A day older than the series' newest day: refused. */
    public static final String OUT_OF_ORDER = "out_of_order";
    /** Accepted, but the active model has no scaler for the symbol: no forecast. */
    public static final String UNKNOWN_SYMBOL = "unknown_symbol";
    /** Accepted, but the model that drafted its window left the registry before the window was scored. */
    public static final String MODEL_UNAVAILABLE = "model_unavailable";
    /** The value is not a readable {@code PriceRecord}. */
    public static final String UNREADABLE = "unreadable_record";

    private HistoryReasons() {
    }
}

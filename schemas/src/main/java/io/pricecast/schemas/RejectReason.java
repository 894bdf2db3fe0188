package io.pricecast.schemas;

import java.util.Locale;

/**
 * Every reason a record is refused or gets no forecast, in one catalogue. {@link #code()} is the machine-readable
 * reason that {@code prices.rejected}'s {@code reason}, the upload verdicts, the test URL's report and the HTTP error
 * bodies carry; the record's {@code stage} says which service gave it. docs/ingest-rules.md explains each rule.
 */
public enum RejectReason {

    // ingest-service (and the predict service, the validate and score-file tools): one record, or one file

    /** A field is absent or empty. */
    MISSING_FIELD(Stage.INGEST),
    /** A number field is not a number. */
    BAD_NUMBER(Stage.INGEST),
    /** A number is NaN or infinite. */
    NON_FINITE(Stage.INGEST),
    /** The date is not an ISO date. */
    BAD_DATE(Stage.INGEST),
    /** A price is zero or negative. */
    NON_POSITIVE_PRICE(Stage.INGEST),
    /** {@code high} is below {@code low}. */
    HIGH_BELOW_LOW(Stage.INGEST),
    /** {@code open} or {@code close} lies outside {@code [low, high]}. */
    PRICE_OUTSIDE_RANGE(Stage.INGEST),
    /**
     * A day the series already has, with other numbers: refused, in a file by ingest and against the stored series by
     * scoring (a correction is never applied silently).
     */
    CONFLICTING_DUPLICATE(Stage.INGEST),
    /** A line has more fields than its header. */
    TOO_MANY_FIELDS(Stage.INGEST),
    /** A line is longer than the read limit. */
    LINE_TOO_LONG(Stage.INGEST),

    // scoring-streams: the history rules, and why an accepted record got no forecast

    /** The newest day the series already has, again with the same numbers: counted, not stored or published again. */
    DUPLICATE(Stage.SCORING),
    /** A day older than the series' newest day: refused. */
    OUT_OF_ORDER(Stage.SCORING),
    /** Accepted, but the active model has no scaler for the symbol: no forecast. */
    UNKNOWN_SYMBOL(Stage.SCORING),
    /** Accepted, but the model that drafted its window left the registry before the window was scored. */
    MODEL_UNAVAILABLE(Stage.SCORING),
    /** The value is not a readable {@code PriceRecord}. */
    UNREADABLE_RECORD(Stage.SCORING),

    // sink-service: dead letters

    /** The bytes are not a record of the topic's schema. */
    UNDESERIALISABLE(Stage.SINK),
    /** Cassandra refused the record as invalid (not a transient failure). */
    CASSANDRA_REFUSED(Stage.SINK);

    /** The service whose rules give a reason first: its {@code stage} on {@code prices.rejected}. */
    public enum Stage {
        /** ingest-service's per-record and within-file rules (also the predict service's and the offline tools'). */
        INGEST,
        /** scoring-streams' history rules, and the reasons an accepted record got no forecast. */
        SCORING,
        /** sink-service's dead letters. */
        SINK
    }

    private final String code = name().toLowerCase(Locale.ROOT);
    private final Stage stage;

    RejectReason(Stage stage) {
        this.stage = stage;
    }

    /** @return the service whose rules give this reason ({@link #CONFLICTING_DUPLICATE}: ingest, and scoring too) */
    public Stage stage() {
        return stage;
    }

    /**
     * @param stage a service
     * @return the reasons it gives first, in catalogue order
     */
    public static java.util.Set<RejectReason> of(Stage stage) {
        java.util.Set<RejectReason> reasons = java.util.EnumSet.noneOf(RejectReason.class);
        for (RejectReason reason : values()) {
            if (reason.stage == stage) {
                reasons.add(reason);
            }
        }
        return java.util.Collections.unmodifiableSet(reasons);
    }

    /** @return the reason code, e.g. {@code high_below_low} */
    public String code() {
        return code;
    }
}

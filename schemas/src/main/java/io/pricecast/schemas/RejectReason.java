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
    MISSING_FIELD,
    /** A number field is not a number. */
    BAD_NUMBER,
    /** A number is NaN or infinite. */
    NON_FINITE,
    /** The date is not an ISO date. */
    BAD_DATE,
    /** A price is zero or negative. */
    NON_POSITIVE_PRICE,
    /** {@code high} is below {@code low}. */
    HIGH_BELOW_LOW,
    /** {@code open} or {@code close} lies outside {@code [low, high]}. */
    PRICE_OUTSIDE_RANGE,
    /**
     * A day the series already has, with other numbers: refused, in a file by ingest and against the stored series by
     * scoring (a correction is never applied silently).
     */
    CONFLICTING_DUPLICATE,
    /** A line has more fields than its header. */
    TOO_MANY_FIELDS,
    /** A line is longer than the read limit. */
    LINE_TOO_LONG,

    // scoring-streams: the history rules, and why an accepted record got no forecast

    /** The newest day the series already has, again with the same numbers: counted, not stored or published again. */
    DUPLICATE,
    /** A day older than the series' newest day: refused. */
    OUT_OF_ORDER,
    /** Accepted, but the active model has no scaler for the symbol: no forecast. */
    UNKNOWN_SYMBOL,
    /** Accepted, but the model that drafted its window left the registry before the window was scored. */
    MODEL_UNAVAILABLE,
    /** The value is not a readable {@code PriceRecord}. */
    UNREADABLE_RECORD,

    // sink-service: dead letters

    /** The bytes are not a record of the topic's schema. */
    UNDESERIALISABLE,
    /** Cassandra refused the record as invalid (not a transient failure). */
    CASSANDRA_REFUSED;

    private final String code = name().toLowerCase(Locale.ROOT);

    /** @return the reason code, e.g. {@code high_below_low} */
    public String code() {
        return code;
    }
}

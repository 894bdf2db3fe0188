package io.pricecast.input;

import java.util.Locale;

/**
 * Why a record was refused by ingest's per-record and within-file rules. {@link #code()} is the machine-readable
 * reason published with it. (A record older than its series' newest day, {@code out_of_order}, is refused by the
 * history rules downstream, in scoring.)
 */
public enum RejectReason {
  MISSING_FIELD,
  BAD_NUMBER,
  NON_FINITE,
  BAD_DATE,
  NON_POSITIVE_PRICE,
  HIGH_BELOW_LOW,
  PRICE_OUTSIDE_RANGE,
  CONFLICTING_DUPLICATE,
  TOO_MANY_FIELDS,
  LINE_TOO_LONG;

  private final String code = name().toLowerCase(Locale.ROOT);

  /** The reason code, e.g. {@code high_below_low}. */
  public String code() {
    return code;
  }
}

package io.pricecast.input;

import java.util.Locale;

/** Why a record was refused. {@link #code()} is the machine-readable reason published with it. */
public enum RejectReason {
  MISSING_FIELD,
  BAD_NUMBER,
  NON_FINITE,
  BAD_DATE,
  NON_POSITIVE_PRICE,
  HIGH_BELOW_LOW,
  PRICE_OUTSIDE_RANGE,
  CONFLICTING_DUPLICATE,
  OUT_OF_ORDER,
  TOO_MANY_FIELDS,
  LINE_TOO_LONG;

  private final String code = name().toLowerCase(Locale.ROOT);

  /** The reason code, e.g. {@code high_below_low}. */
  public String code() {
    return code;
  }
}

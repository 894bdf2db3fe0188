package io.pricecast.input.batch;

import io.pricecast.input.PriceRow;
import io.pricecast.input.SeriesKey;
import java.time.LocalDate;
import java.util.Optional;

/**
 * What a dataset already holds, per series, before the batch being cleaned. The caller binds it to
 * one dataset. Offline use has no history: {@link #none()}.
 */
@FunctionalInterface
public interface SeriesHistory {

  /** The newest day the series has, or empty for a series not seen before. */
  Optional<LocalDate> newestDate(SeriesKey series);

  /**
   * The stored row of the newest day, when the caller can supply it. With it, a record for that same
   * day is told apart as an exact duplicate or a conflicting one; without it, such a record is a
   * {@code conflicting_duplicate} (we cannot prove it identical, and never publish a day twice).
   */
  default Optional<PriceRow> newestRow(SeriesKey series) {
    return Optional.empty();
  }

  static SeriesHistory none() {
    return series -> Optional.empty();
  }
}

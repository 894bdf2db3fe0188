package io.pricecast.sink.export;

import java.time.LocalDate;
import java.util.List;

/**
 * What to export.
 *
 * @param dataset the dataset
 * @param symbols the symbols, in export order; empty for every symbol of the dataset
 * @param from    first target date (inclusive)
 * @param to      last target date (inclusive)
 * @param model   the model version to export; null for the latest-scored forecast of each date
 */
public record ExportRequest(String dataset, List<String> symbols, LocalDate from, LocalDate to, String model) {

    /** Earliest date a filter can name. */
    public static final LocalDate MIN_DATE = LocalDate.of(1, 1, 1);
    /** Latest date a filter can name. */
    public static final LocalDate MAX_DATE = LocalDate.of(9999, 12, 31);

    public ExportRequest {
        symbols = List.copyOf(symbols);
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
    }
}

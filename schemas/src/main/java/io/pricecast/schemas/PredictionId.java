package io.pricecast.schemas;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The stable id of a forecast, {@code dataset|symbol|target_date|model_version}: one forecast per series,
 * target day and model version. The id names its row in Cassandra, so no look-up table is needed to find
 * it. Datasets never contain {@code |} (ingest's dataset names are {@code [A-Za-z0-9._-]}), and neither do
 * dates; so a symbol or version with a {@code |} still parses.
 *
 * @param dataset      the dataset
 * @param symbol       the symbol (series)
 * @param targetDate   the forecast's target day
 * @param modelVersion the model version that produced it
 */
public record PredictionId(String dataset, String symbol, LocalDate targetDate, String modelVersion) {

    private static final char SEPARATOR = '|';

    /** @return the id's text */
    @Override
    public String toString() {
        return dataset + SEPARATOR + symbol + SEPARATOR + targetDate + SEPARATOR + modelVersion;
    }

    /**
     * @param id an id's text
     * @return its parts, or empty when it is not a prediction id
     */
    public static Optional<PredictionId> parse(String id) {
        if (id == null) {
            return Optional.empty();
        }
        int first = id.indexOf(SEPARATOR);
        int last = id.lastIndexOf(SEPARATOR);
        int dateStart = first < 0 || last <= first ? -1 : id.lastIndexOf(SEPARATOR, last - 1);
        if (dateStart <= first) {
            return Optional.empty();
        }
        String dataset = id.substring(0, first);
        String symbol = id.substring(first + 1, dateStart);
        String version = id.substring(last + 1);
        if (dataset.isEmpty() || symbol.isEmpty() || version.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    new PredictionId(dataset, symbol, LocalDate.parse(id.substring(dateStart + 1, last)), version));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}

package io.pricecast.input.csv;

import static io.pricecast.input.validation.Fields.CLOSE;
import static io.pricecast.input.validation.Fields.DATE;
import static io.pricecast.input.validation.Fields.HIGH;
import static io.pricecast.input.validation.Fields.LOW;
import static io.pricecast.input.validation.Fields.MARKET;
import static io.pricecast.input.validation.Fields.NAME;
import static io.pricecast.input.validation.Fields.OPEN;
import static io.pricecast.input.validation.Fields.SLUG;
import static io.pricecast.input.validation.Fields.SYMBOL;
import static io.pricecast.input.validation.Fields.VOLUME;

import io.pricecast.input.validation.FieldSource;
import io.pricecast.input.validation.Fields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVRecord;

/**
 * The CSV layouts we accept, recognised by their header (names compared trimmed and case-insensitively).
 * Columns we do not use ({@code ranknow}, {@code close_ratio}, {@code spread}, the notebook's unnamed
 * index) are read past: the model derives its own features.
 */
public enum Layout {
    /** The data scientist's {@code crypto_filt.csv}. */
    NOTEBOOK(SYMBOL, "", SLUG, NAME, DATE, "ranknow", OPEN, HIGH, LOW, CLOSE, VOLUME, MARKET, "close_ratio", "spread"),
    /** The public crypto-markets dump. */
    MARKETS_DUMP(SLUG, SYMBOL, NAME, DATE, "ranknow", OPEN, HIGH, LOW, CLOSE, VOLUME, MARKET, "close_ratio", "spread"),
    /** Our short layout. */
    SHORT(Fields.SHORT_ORDER.toArray(String[]::new)),
    /** The short layout with a trailing {@code slug}; also the order of CSV console messages. */
    SHORT_WITH_SLUG(Fields.SHORT_ORDER_WITH_SLUG.toArray(String[]::new));

    private final List<String> columns;
    private final Map<String, Integer> indexByField;
    private final int[] knownIndex;

    Layout(String... columns) {
        this.columns = List.of(columns);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < columns.length; i++) {
            if (!columns[i].isEmpty()) {
                index.put(columns[i], i);
            }
        }
        this.indexByField = Map.copyOf(index);
        this.knownIndex = new int[Known.FIELDS.length];
        for (int k = 0; k < Known.FIELDS.length; k++) {
            knownIndex[k] = index.getOrDefault(Known.FIELDS[k], -1);
        }
    }

    /** The fields records are read by; {@link #indexOf} finds them by identity before any hashing. */
    private static final class Known {
        static final String[] FIELDS = {SYMBOL, SLUG, NAME, DATE, OPEN, HIGH, LOW, CLOSE, VOLUME, MARKET};
    }

    /** The layout's name in messages, e.g. {@code markets_dump}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The header of this layout, in order; the notebook's unnamed index column is an empty name. */
    public List<String> columns() {
        return columns;
    }

    /** The fields of one record read in this layout; a field past the record's end is absent. */
    public FieldSource fieldsOf(CSVRecord record) {
        return field -> {
            int index = indexOf(field);
            return index >= 0 && index < record.size() ? record.get(index) : null;
        };
    }

    /** The column position of a field, or -1 when this layout does not carry it. */
    public int indexOf(String field) {
        for (int k = 0; k < Known.FIELDS.length; k++) {
            if (Known.FIELDS[k] == field) {
                return knownIndex[k];
            }
        }
        return indexByField.getOrDefault(field, -1);
    }

    /** The layout whose header this is, if any. */
    public static Optional<Layout> ofHeader(List<String> header) {
        List<String> normalised = new ArrayList<>(header.size());
        for (String name : header) {
            normalised.add(name.strip().toLowerCase(Locale.ROOT));
        }
        return Arrays.stream(values())
                .filter(layout -> layout.columns.equals(normalised))
                .findFirst();
    }

    /** The accepted headers, one per line, for error messages and help. */
    public static String describeAll() {
        return Arrays.stream(values())
                .map(layout -> "  " + layout.label() + ": " + String.join(",", layout.columns))
                .collect(Collectors.joining(System.lineSeparator()));
    }
}

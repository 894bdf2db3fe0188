package io.pricecast.input;

import io.pricecast.input.batch.BatchCleaner;
import io.pricecast.input.batch.BatchOutcomes;
import io.pricecast.input.batch.CleanReport;
import io.pricecast.input.batch.OutcomeCounts;
import io.pricecast.input.batch.SharedTicker;
import io.pricecast.input.csv.Layout;
import io.pricecast.input.csv.PriceCsvReader;
import io.pricecast.input.csv.ReadLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small price file read, validated and cleaned in memory: the convenience for offline scoring,
 * training and tests. Large inputs should stream through {@link PriceCsvReader} and
 * {@link BatchCleaner} instead.
 *
 * <pre>{@code
 * ValidatedFile file = ValidatedFile.read(path);
 * List<PriceRow> btc = file.series().get("BTC");   // date-ordered
 * }</pre>
 *
 * @param layout the layout detected from the header
 * @param series accepted rows per series id ({@link SeriesKey#id()}: the ticker, or
 *     {@code ticker@slug} for a shared ticker), in series order, each list in date order
 * @param rejections every rejected record, in line order
 * @param counts accepted, duplicates and rejected per reason
 * @param sharedTickers tickers used by several coins, kept apart
 */
public record ValidatedFile(
        Layout layout,
        Map<String, List<PriceRow>> series,
        List<Rejection> rejections,
        OutcomeCounts counts,
        List<SharedTicker> sharedTickers) {

    public ValidatedFile {
        Map<String, List<PriceRow>> copy = new LinkedHashMap<>();
        series.forEach((id, rows) -> copy.put(id, List.copyOf(rows)));
        series = Collections.unmodifiableMap(copy);
        rejections = List.copyOf(rejections);
        sharedTickers = List.copyOf(sharedTickers);
    }

    /** Reads a file with default limits and no history (offline). */
    public static ValidatedFile read(Path file) throws IOException {
        return read(Files.newInputStream(file));
    }

    /** Reads a stream with default limits and no history (offline); closes it. */
    public static ValidatedFile read(InputStream in) throws IOException {
        return read(in, ReadLimits.DEFAULTS, BatchCleaner.offline());
    }

    /** Reads a stream with the given limits and cleaner; closes it. */
    public static ValidatedFile read(InputStream in, ReadLimits limits, BatchCleaner cleaner) throws IOException {
        try (PriceCsvReader reader = PriceCsvReader.open(in, limits)) {
            Collector collector = new Collector();
            CleanReport report = cleaner.clean(reader, collector);
            collector.rejections.sort(Comparator.comparingLong(Rejection::line));
            return new ValidatedFile(
                    reader.layout(), collector.series, collector.rejections, report.counts(), report.sharedTickers());
        }
    }

    /** All accepted rows, series after series, each in date order. */
    public List<PriceRow> rows() {
        return series.values().stream().flatMap(List::stream).toList();
    }

    /** The accepted rows of one series id, date-ordered; empty when the file has none. */
    public List<PriceRow> series(String seriesId) {
        return series.getOrDefault(seriesId, List.of());
    }

    private static final class Collector implements BatchOutcomes {
        private final Map<String, List<PriceRow>> series = new LinkedHashMap<>();
        private final List<Rejection> rejections = new ArrayList<>();

        @Override
        public void accepted(SeriesKey key, PriceRow row) {
            series.computeIfAbsent(key.id(), id -> new ArrayList<>()).add(row);
        }

        @Override
        public void duplicate(SeriesKey key, PriceRow row) {
            // counted in the report; a duplicate adds nothing to the series
        }

        @Override
        public void rejected(Rejection rejection) {
            rejections.add(rejection);
        }
    }
}

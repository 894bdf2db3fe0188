package io.pricecast.input.batch;

import io.pricecast.input.LineOutcome;
import io.pricecast.input.PriceRow;
import io.pricecast.input.Rejection;
import io.pricecast.input.SeriesKey;
import io.pricecast.schemas.RejectReason;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Cleans one bounded batch (an upload): takes the per-record outcomes in any order, then orders the
 * rows by series and date and applies the rules that need more than one record of the batch: exact
 * duplicates, {@code conflicting_duplicate} (the lowest line of a day wins) and shared tickers
 * (docs/ingest-rules.md). What the series already had before the batch is not known here: the records
 * are judged against it downstream, by scoring ("History rules").
 *
 * <p>Memory is bounded by {@link Settings#maxRowsInMemory()} rows plus one entry per (ticker, slug)
 * pair; beyond it sorted runs spill to a temporary directory that is deleted at the end.
 */
public final class BatchCleaner {

    /**
     * @param maxRowsInMemory rows sorted in memory before spilling a run to disk
     * @param spillParent where the temporary run directory is created
     */
    public record Settings(int maxRowsInMemory, Path spillParent) {

        /** About 200 bytes a row: some 40 MB of heap before spilling. */
        public static final int DEFAULT_MAX_ROWS_IN_MEMORY = 200_000;

        public Settings {
            if (maxRowsInMemory < 1) {
                throw new IllegalArgumentException("maxRowsInMemory must be positive: " + maxRowsInMemory);
            }
            Objects.requireNonNull(spillParent, "spillParent");
        }

        /** The default threshold, spilling under {@code java.io.tmpdir}. */
        public static Settings defaults() {
            return new Settings(DEFAULT_MAX_ROWS_IN_MEMORY, Path.of(System.getProperty("java.io.tmpdir")));
        }
    }

    private final Settings settings;

    public BatchCleaner(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** A cleaner with default settings (offline use). */
    public static BatchCleaner offline() {
        return new BatchCleaner(Settings.defaults());
    }

    /**
     * Reads the whole batch, passing rejections on as they come, then passes every row on in series and
     * date order as accepted, duplicate or rejected.
     */
    public CleanReport clean(Iterator<LineOutcome> batch, BatchOutcomes outcomes) throws IOException {
        OutcomeCounts.Tally tally = new OutcomeCounts.Tally();
        Map<String, Set<String>> slugsBySymbol = new HashMap<>();
        String lastSymbol = null;
        String lastSlug = null;
        try (SortedRows rows = new SortedRows(settings.maxRowsInMemory(), settings.spillParent())) {
            while (batch.hasNext()) {
                LineOutcome outcome = batch.next();
                if (outcome instanceof LineOutcome.Rejected rejected) {
                    reject(rejected.rejection(), tally, outcomes);
                } else if (outcome instanceof LineOutcome.Parsed parsed) {
                    PriceRow row = parsed.row();
                    if (!row.symbol().equals(lastSymbol) || !row.slug().equals(lastSlug)) {
                        // files mostly hold a series' rows together: look up only when the pair changes
                        slugsBySymbol
                                .computeIfAbsent(row.symbol(), symbol -> new TreeSet<>())
                                .add(row.slug());
                        lastSymbol = row.symbol();
                        lastSlug = row.slug();
                    }
                    rows.add(row);
                }
            }
            List<SharedTicker> shared = sharedTickers(slugsBySymbol);
            Set<String> sharedSymbols =
                    new TreeSet<>(shared.stream().map(SharedTicker::symbol).toList());
            new SeriesPass(sharedSymbols, tally, outcomes).run(rows.sorted());
            return new CleanReport(tally.counts(), shared);
        }
    }

    private static List<SharedTicker> sharedTickers(Map<String, Set<String>> slugsBySymbol) {
        List<SharedTicker> shared = new ArrayList<>();
        new TreeMap<>(slugsBySymbol).forEach((symbol, slugs) -> {
            if (slugs.size() > 1) {
                shared.add(new SharedTicker(
                        symbol,
                        slugs.stream().map(slug -> new SeriesKey(symbol, slug)).toList()));
            }
        });
        return shared;
    }

    private static void reject(Rejection rejection, OutcomeCounts.Tally tally, BatchOutcomes outcomes) {
        tally.rejected(rejection.reason());
        outcomes.rejected(rejection);
    }

    /** One pass over the sorted rows; state is that of the current series only. */
    private final class SeriesPass {
        private final Set<String> sharedSymbols;
        private final OutcomeCounts.Tally tally;
        private final BatchOutcomes outcomes;
        private SeriesKey series;
        private PriceRow dayKept;

        SeriesPass(Set<String> sharedSymbols, OutcomeCounts.Tally tally, BatchOutcomes outcomes) {
            this.sharedSymbols = sharedSymbols;
            this.tally = tally;
            this.outcomes = outcomes;
        }

        void run(Iterator<PriceRow> sorted) {
            while (sorted.hasNext()) {
                PriceRow row = sorted.next();
                SeriesKey key = sharedSymbols.contains(row.symbol())
                        ? new SeriesKey(row.symbol(), row.slug())
                        : SeriesKey.of(row.symbol());
                if (!key.equals(series)) {
                    startSeries(key);
                }
                classify(row);
            }
        }

        private void startSeries(SeriesKey key) {
            series = key;
            dayKept = null;
        }

        private void classify(PriceRow row) {
            if (dayKept != null && dayKept.date().equals(row.date())) {
                if (dayKept.sameValuesAs(row)) {
                    tally.duplicate();
                    outcomes.duplicate(series, row);
                } else {
                    reject(
                            row,
                            RejectReason.CONFLICTING_DUPLICATE,
                            position(row) + " differs from the same day at line " + dayKept.line());
                }
            } else {
                dayKept = row;
                tally.accepted();
                outcomes.accepted(series, row);
            }
        }

        /** Built only for a rejection: most rows are accepted, and this runs once per row. */
        private String position(PriceRow row) {
            return "line " + row.line() + ": series " + series.id() + " day " + row.date();
        }

        private void reject(PriceRow row, RejectReason reason, String message) {
            BatchCleaner.reject(new Rejection(row.line(), reason, "date", message, row.toShortCsv()), tally, outcomes);
        }
    }
}

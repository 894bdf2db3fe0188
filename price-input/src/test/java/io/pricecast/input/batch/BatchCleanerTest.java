package io.pricecast.input.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pricecast.input.LineOutcome;
import io.pricecast.input.PriceRow;
import io.pricecast.input.Rejection;
import io.pricecast.input.SeriesKey;
import io.pricecast.input.TestFiles;
import io.pricecast.input.csv.PriceCsvReader;
import io.pricecast.input.csv.ReadLimits;
import io.pricecast.schemas.RejectReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchCleanerTest {

    private static final LocalDate DAY = LocalDate.of(2019, 12, 31);
    /** Small enough that the 1,095-row sample needs more runs than one merge takes. */
    private static final int TINY_THRESHOLD = 7;

    @TempDir
    Path temp;

    @Test
    void countsTheCorpusExactlyAsExpectedWithOneRecordPerReason() throws IOException {
        Recorded recorded = clean(TestFiles.CORPUS, new BatchCleaner(inMemory()));

        assertThat(recorded.report.counts().toJson())
                .isEqualTo(TestFiles.resourceText(TestFiles.CORPUS_EXPECTED).strip());
        assertThat(recorded.report.counts().rejected().keySet())
                .containsExactlyInAnyOrderElementsOf(RejectReason.of(RejectReason.Stage.INGEST));
        assertThat(recorded.rejections)
                .extracting(Rejection::line, r -> r.reason().code())
                .contains(tuple(5L, "conflicting_duplicate"), tuple(15L, "line_too_long"), tuple(18L, "bad_number"));
        assertThat(recorded.rejections)
                .allSatisfy(rejection -> assertThat(rejection.message()).startsWith("line " + rejection.line() + ":"));
    }

    @Test
    void spillingToDiskGivesTheSameOutputAsSortingInMemory() throws IOException {
        Recorded inMemory = clean(TestFiles.SAMPLE, new BatchCleaner(inMemory()));
        Recorded spilled = clean(TestFiles.SAMPLE, new BatchCleaner(new BatchCleaner.Settings(TINY_THRESHOLD, temp)));

        assertThat(spilled.accepted).hasSize(1_095).isEqualTo(inMemory.accepted);
        assertThat(spilled.report).isEqualTo(inMemory.report);
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left).as("spill directory removed").isEmpty();
        }
    }

    @Test
    void keepsTheLowestLineOfADayCountsItsExactRepeatsAndRefusesItsOtherValues() throws IOException {
        List<LineOutcome> batch = List.of(
                parsed(row(DAY.plusDays(1), 2.0, 2)),
                parsed(row(DAY, 2.5, 5)),
                parsed(row(DAY, 2.0, 3)),
                parsed(row(DAY, 2.0, 4)),
                parsed(row(DAY.minusDays(1), 2.0, 6)));

        Recorded recorded = clean(batch.iterator(), new BatchCleaner(inMemory()));

        assertThat(recorded.accepted).extracting(PriceRow::line).containsExactly(6L, 3L, 2L);
        assertThat(recorded.duplicates).extracting(PriceRow::line).containsExactly(4L);
        assertThat(recorded.rejections)
                .extracting(Rejection::line, Rejection::reason)
                .containsExactly(tuple(5L, RejectReason.CONFLICTING_DUPLICATE));
        assertThat(recorded.rejections.get(0).message()).contains("differs from the same day at line 3");
    }

    private BatchCleaner.Settings inMemory() {
        return new BatchCleaner.Settings(BatchCleaner.Settings.DEFAULT_MAX_ROWS_IN_MEMORY, temp);
    }

    private static PriceRow row(LocalDate date, double open, long line) {
        return new PriceRow("ETH", "ethereum", "Ethereum", date, open, 3, 1, 2, 10, 100, line);
    }

    private static LineOutcome parsed(PriceRow row) {
        return new LineOutcome.Parsed(row);
    }

    private static Recorded clean(String resource, BatchCleaner cleaner) throws IOException {
        try (PriceCsvReader reader = PriceCsvReader.open(TestFiles.resource(resource), ReadLimits.DEFAULTS)) {
            return clean(reader, cleaner);
        }
    }

    private static Recorded clean(Iterator<LineOutcome> batch, BatchCleaner cleaner) throws IOException {
        Recorded recorded = new Recorded();
        recorded.report = cleaner.clean(batch, recorded);
        return recorded;
    }

    /** Records every outcome, checking series order as they come. */
    private static final class Recorded implements BatchOutcomes {
        final List<PriceRow> accepted = new ArrayList<>();
        final List<Rejection> rejections = new ArrayList<>();
        final List<PriceRow> duplicates = new ArrayList<>();
        CleanReport report;
        private final Map<SeriesKey, LocalDate> newest = new HashMap<>();

        @Override
        public void accepted(SeriesKey series, PriceRow row) {
            LocalDate previous = newest.put(series, row.date());
            assertThat(previous == null || previous.isBefore(row.date()))
                    .as("date order in %s", series)
                    .isTrue();
            accepted.add(row);
        }

        @Override
        public void duplicate(SeriesKey series, PriceRow row) {
            duplicates.add(row);
        }

        @Override
        public void rejected(Rejection rejection) {
            rejections.add(rejection);
        }
    }
}

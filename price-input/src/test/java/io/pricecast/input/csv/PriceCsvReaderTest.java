package io.pricecast.input.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pricecast.input.LineOutcome;
import io.pricecast.schemas.RejectReason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceCsvReaderTest {

    private static final String HEADER = "symbol,date,open,high,low,close,volume,market\n";
    private static final int SMALL_LIMIT = 60;

    @Test
    void skipsAnOverlongLineWithoutLosingTrackOfLineNumbers() throws IOException {
        List<LineOutcome> outcomes = readAll(HEADER
                + "BTC,2020-01-01,2,3,1,2,0,0\n"
                + "BTC,2020-01-02,2,3,1,2,0,0," + "9".repeat(SMALL_LIMIT) + "\n"
                + "BTC,2020-01-03,2,3,1,2,0,0\n");

        assertThat(outcomes).extracting(LineOutcome::line).containsExactly(2L, 3L, 4L);
        assertThat(((LineOutcome.Rejected) outcomes.get(1)).rejection().reason())
                .isEqualTo(RejectReason.LINE_TOO_LONG);
    }

    @Test
    void rejectsARecordWhoseQuoteNeverClosesInsteadOfFailingTheFile() throws IOException {
        List<LineOutcome> outcomes =
                readAll(HEADER + "BTC,\"2020-01-01,2,3,1,2,0,0\n" + "BTC,2020-01-02,2,3,1,2,0,0\n");

        assertThat(outcomes).singleElement().satisfies(outcome -> {
            assertThat(outcome.line()).isEqualTo(2);
            assertThat(((LineOutcome.Rejected) outcome).rejection().reason()).isEqualTo(RejectReason.LINE_TOO_LONG);
            assertThat(((LineOutcome.Rejected) outcome).rejection().message()).contains("line 2", "still open");
        });
    }

    @Test
    void reportsTheFirstLineOfARecordSpanningLines() throws IOException {
        List<LineOutcome> outcomes = readAll(HEADER.replace("market", "market,slug")
                + "BTC,2020-01-01,2,3,1,2,0,0,\"bit\ncoin\"\n"
                + "\n"
                + "BTC,2020-01-02,2,3,1,2,0,0,x,extra\n");

        assertThat(outcomes).extracting(LineOutcome::line).containsExactly(2L, 5L);
        assertThat(((LineOutcome.Rejected) outcomes.get(1)).rejection().reason())
                .isEqualTo(RejectReason.TOO_MANY_FIELDS);
    }

    @Test
    void keepsTextAfterAClosingQuoteInsteadOfFailingTheFile() throws IOException {
        List<LineOutcome> outcomes = readAll(HEADER.replace("market", "market,slug")
                + "BTC,2020-01-01,2,3,1,2,0,0,\"bit\"coin\n"
                + "BTC,2020-01-02,2,3,1,2,0,0,bitcoin\n");

        assertThat(outcomes)
                .hasSize(2)
                .allSatisfy(outcome -> assertThat(outcome).isInstanceOf(LineOutcome.Parsed.class));
        assertThat(((LineOutcome.Parsed) outcomes.get(0)).row().slug()).isEqualTo("bitcoin");
    }

    @Test
    void refusesAnEmptyFile() {
        assertThatThrownBy(() -> readAll(""))
                .isInstanceOf(PriceFileException.class)
                .hasMessageContaining("empty");
    }

    private static List<LineOutcome> readAll(String text) throws IOException {
        List<LineOutcome> outcomes = new ArrayList<>();
        try (PriceCsvReader reader = PriceCsvReader.open(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), new ReadLimits(SMALL_LIMIT))) {
            reader.forEachRemaining(outcomes::add);
        }
        return outcomes;
    }
}

package io.pricecast.scorefile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** The notebook's predictions for the sample, as the yardstick of every scored copy of it. */
public final class ReferencePredictions {

    private static final double RELATIVE_TOLERANCE = 1e-4;
    private static final int REFERENCE_ROWS = 1_092;

    private ReferencePredictions() {}

    /**
     * Asserts that a predictions CSV of {@link SampleFiles#SAMPLE_PRICES} is the notebook's, row for row: the same
     * symbols, indexes, dates and actual opens as text, each forecast within a relative 1e-4 of the notebook's (float32
     * arithmetic in a different order), and one newest forecast per symbol after them.
     *
     * @param csv the predictions CSV
     */
    public static void assertMatches(String csv) throws IOException {
        assertThat(csv).startsWith("symbol,index,date,pred_open,val_open\n");
        List<CSVRecord> actual = parse(csv);
        List<CSVRecord> expected = parse(Files.readString(SampleFiles.path(SampleFiles.SAMPLE_EXPECTED)));
        assertThat(expected).hasSize(REFERENCE_ROWS);

        Map<String, List<CSVRecord>> actualBySymbol = bySymbol(actual);
        Map<String, List<CSVRecord>> expectedBySymbol = bySymbol(expected);
        assertThat(actualBySymbol.keySet()).containsExactlyElementsOf(expectedBySymbol.keySet());
        for (String symbol : expectedBySymbol.keySet()) {
            List<CSVRecord> want = expectedBySymbol.get(symbol);
            List<CSVRecord> got = actualBySymbol.get(symbol);
            assertThat(got)
                    .as("rows of %s: reference plus one newest forecast", symbol)
                    .hasSize(want.size() + 1);
            for (int i = 0; i < want.size(); i++) {
                CSVRecord w = want.get(i);
                CSVRecord g = got.get(i);
                String where = symbol + " row " + i;
                assertThat(g.get("index")).as(where).isEqualTo(w.get("index"));
                assertThat(g.get("date")).as(where).isEqualTo(w.get("date"));
                assertThat(g.get("val_open")).as(where).isEqualTo(w.get("val_open"));
                double reference = Double.parseDouble(w.get("pred_open"));
                assertThat(Double.parseDouble(g.get("pred_open")))
                        .as(where)
                        .isCloseTo(reference, within(Math.abs(reference) * RELATIVE_TOLERANCE));
            }
            CSVRecord newest = got.get(want.size());
            LocalDate lastReferenceDate =
                    LocalDate.parse(want.get(want.size() - 1).get("date"));
            assertThat(newest.get("index")).isEqualTo(Integer.toString(want.size()));
            assertThat(LocalDate.parse(newest.get("date"))).isEqualTo(lastReferenceDate.plusDays(1));
            assertThat(newest.get("val_open")).isEmpty();
            assertThat(Double.parseDouble(newest.get("pred_open"))).isPositive();
        }
    }

    private static Map<String, List<CSVRecord>> bySymbol(List<CSVRecord> records) {
        Map<String, List<CSVRecord>> map = new LinkedHashMap<>();
        records.forEach(r ->
                map.computeIfAbsent(r.get("symbol"), s -> new ArrayList<>()).add(r));
        return map;
    }

    /** @return the rows of a predictions CSV, by header */
    public static List<CSVRecord> parse(String csv) throws IOException {
        return CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new StringReader(csv))
                .getRecords();
    }
}

package io.pricecast.scorefile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pricecast.model.bundle.KerasImport;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.forecast.Forecaster;
import io.pricecast.model.network.DjlBiGru;
import io.pricecast.model.network.DjlSettings;
import io.pricecast.model.network.ForwardPass;
import io.pricecast.model.network.PlainJavaBiGru;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreFileParityTest {

    private static final double RELATIVE_TOLERANCE = 1e-4;
    private static final int REFERENCE_ROWS = 1_092;

    private static ModelBundle bundle;
    private static DjlBiGru djl;

    @BeforeAll
    static void loadOnce() throws IOException {
        bundle = KerasImport.firstBundle();
        djl = new DjlBiGru(bundle.weights(), new DjlSettings(1, 1));
    }

    @AfterAll
    static void close() {
        djl.close();
    }

    @Test
    void djlScoreFileReproducesTheNotebookReferenceOnEveryRow() throws IOException {
        assertMatchesReference(score(djl));
    }

    @Test
    void plainJavaScoreFileReproducesTheNotebookReferenceOnEveryRow() throws IOException {
        assertMatchesReference(score(new PlainJavaBiGru(bundle.weights())));
    }

    @Test
    void reportsUnknownSymbolsWithRowCountsAndInvalidRowsWithLineNumbers(@TempDir Path dir) throws IOException {
        Path input = dir.resolve("mixed.csv");
        Files.writeString(
                input,
                String.join(
                                "\n",
                                "symbol,,slug,name,date,ranknow,open,high,low,close,volume,market,close_ratio,spread",
                                "BTC,0,bitcoin,Bitcoin,2013-08-04,1,104.95,105.95,103.52,105.14,0.0,1207100000.0,0.6667,2.43",
                                "DOGE,1,dogecoin,Dogecoin,2013-08-04,1,0.1,0.2,0.1,0.15,0.0,0.0,0.5,0.1",
                                "DOGE,2,dogecoin,Dogecoin,2013-08-05,1,0.1,0.2,0.1,0.15,0.0,0.0,0.5,0.1",
                                "BTC,3,bitcoin,Bitcoin,2013-08-05,1,abc,107.77,105.0,106.22,0.0,1209520000.0,0.4404,2.77",
                                "BTC,4,bitcoin,Bitcoin,5/8/2013,1,105.12,107.77,105.0,106.22,0.0,1209520000.0,0.4404,2.77")
                        + "\n");
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        StringBuilder out = new StringBuilder();

        ScoreFile.Report report = new ScoreFile(
                        new PriceInputSource(),
                        new Forecaster(bundle, djl),
                        new PrintStream(stderr, true, StandardCharsets.UTF_8))
                .run(input, out);

        String diagnostics = stderr.toString(StandardCharsets.UTF_8);
        assertThat(report.unknownSymbols()).containsExactly(Map.entry("DOGE", 2));
        assertThat(report.invalidRows()).isEqualTo(1);
        assertThat(report.forecasts()).isEqualTo(2);
        assertThat(diagnostics)
                .contains("unknown symbol DOGE (2 rows)")
                .contains("line 5: invalid row: bad_number:")
                .contains("field 'open' is not a number: 'abc'");
        List<CSVRecord> rows = parse(out.toString());
        assertThat(rows).extracting(r -> r.get("date")).containsExactly("2013-08-05", "2013-08-06");
        assertThat(rows).extracting(r -> r.get("val_open")).containsExactly("105.12", "");
    }

    private static String score(ForwardPass network) throws IOException {
        StringBuilder out = new StringBuilder();
        ScoreFile.Report report = new ScoreFile(
                        new PriceInputSource(),
                        new Forecaster(bundle, network),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(SampleFiles.path(SampleFiles.SAMPLE_PRICES), out);
        assertThat(report.invalidRows()).isZero();
        assertThat(report.unknownSymbols()).isEmpty();
        return out.toString();
    }

    private static void assertMatchesReference(String csv) throws IOException {
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

    private static List<CSVRecord> parse(String csv) throws IOException {
        return CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new StringReader(csv))
                .getRecords();
    }
}

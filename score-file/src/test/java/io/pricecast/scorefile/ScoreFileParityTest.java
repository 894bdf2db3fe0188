package io.pricecast.scorefile;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreFileParityTest {

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
        ReferencePredictions.assertMatches(score(djl));
    }

    @Test
    void plainJavaScoreFileReproducesTheNotebookReferenceOnEveryRow() throws IOException {
        ReferencePredictions.assertMatches(score(new PlainJavaBiGru(bundle.weights())));
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
        List<CSVRecord> rows = ReferencePredictions.parse(out.toString());
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
}

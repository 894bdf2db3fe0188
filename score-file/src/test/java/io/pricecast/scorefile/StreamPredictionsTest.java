package io.pricecast.scorefile;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.input.batch.BatchCleaner;
import io.pricecast.input.csv.PriceCsvReader;
import io.pricecast.model.bundle.KerasImport;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.forecast.Forecaster;
import io.pricecast.model.network.PlainJavaBiGru;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamPredictionsTest {

    private static final String SHORT_HEADER = "symbol,date,open,high,low,close,volume,market\n";

    @TempDir
    Path dir;

    @Test
    void aFileWithoutGapsGivesScoreFilesCsvEvenWhenItsRowsAreShuffledAndSpilled() throws IOException {
        ModelBundle bundle = KerasImport.firstBundle();
        PlainJavaBiGru network = new PlainJavaBiGru(bundle.weights());
        Path sample = dir.resolve("sample.csv");
        try (var in = getClass().getResourceAsStream("/parity/crypto_sample.csv")) {
            Files.copy(in, sample);
        }
        StringBuilder reference = new StringBuilder();
        new ScoreFile(
                        new PriceInputSource(),
                        new Forecaster(bundle, network),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(sample, reference);

        java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(sample));
        String header = lines.remove(0);
        java.util.Collections.shuffle(lines, new java.util.Random(7));
        Path shuffled = dir.resolve("shuffled.csv");
        Files.writeString(shuffled, header + "\n" + String.join("\n", lines) + "\n");

        StringBuilder streamed = new StringBuilder();
        StreamPredictions.Outcome outcome;
        try (PriceCsvReader reader = PriceCsvReader.open(shuffled)) {
            outcome = new StreamPredictions(
                            new Forecaster(bundle, network),
                            network,
                            new BatchCleaner(new BatchCleaner.Settings(100, dir)))
                    .write(reader, streamed);
        }

        assertThat(streamed.toString()).isEqualTo(reference.toString());
        assertThat(outcome.records()).isEqualTo(1_095);
        assertThat(outcome.forecasts()).isEqualTo(1_095);
        assertThat(outcome.rejectedCount()).isZero();
    }

    @Test
    void aGapLeavesTheForecastOfTheMissingDayWithoutItsActualAndUnknownSymbolsAreCounted() throws IOException {
        Path file = dir.resolve("gap.csv");
        StringBuilder b = new StringBuilder(SHORT_HEADER);
        for (int day : new int[] {1, 2, 3, 5, 6}) {
            double open = 100 + day;
            b.append("BTC,2020-01-0")
                    .append(day)
                    .append(',')
                    .append(open)
                    .append(',')
                    .append(open + 2)
                    .append(',')
                    .append(open - 2)
                    .append(',')
                    .append(open)
                    .append(",1000,100000\n");
        }
        b.append("NOPE,2020-01-01,1,2,1,1,0,0\nNOPE,2020-01-02,1,2,1,1,0,0\nBTC,2020-01-06,1,2,1,1,0,0\n");
        Files.writeString(file, b.toString());
        ModelBundle bundle = KerasImport.firstBundle();
        PlainJavaBiGru network = new PlainJavaBiGru(bundle.weights());

        StringBuilder out = new StringBuilder();
        StreamPredictions.Outcome outcome;
        try (PriceCsvReader reader = PriceCsvReader.open(file)) {
            outcome = new StreamPredictions(new Forecaster(bundle, network), network, BatchCleaner.offline())
                    .write(reader, out);
        }

        java.util.List<String> rows = out.toString().lines().toList();
        assertThat(rows).hasSize(6);
        assertThat(rows.get(1)).startsWith("BTC,0,2020-01-02,").endsWith(",102.0");
        assertThat(rows.get(3))
                .as("day 3's forecast targets day 4, which the file lacks")
                .startsWith("BTC,2,2020-01-04,")
                .endsWith(",");
        assertThat(rows.get(4)).startsWith("BTC,3,2020-01-06,").endsWith(",106.0");
        assertThat(rows.get(5)).startsWith("BTC,4,2020-01-07,").endsWith(",");
        assertThat(outcome.unknownSymbols()).containsEntry("NOPE", 2L);
        assertThat(outcome.rejected()).containsEntry("conflicting_duplicate", 1L);
        assertThat(outcome.records()).isEqualTo(8);
    }
}

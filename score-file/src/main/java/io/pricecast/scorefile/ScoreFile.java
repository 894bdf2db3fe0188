package io.pricecast.scorefile;

import io.pricecast.model.features.DailyPrice;
import io.pricecast.model.forecast.Forecast;
import io.pricecast.model.forecast.Forecaster;
import io.pricecast.model.forecast.SeriesForecast;
import io.pricecast.schemas.csv.CsvSafe;
import io.pricecast.schemas.csv.PredictionCsv;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The core of {@code score-file}: reads a price file, forecasts every known symbol one step ahead and writes
 * the predictions CSV (docs/model.md, "Predictions CSV"). Symbols appear in order of first appearance, rows in date order.
 * Unknown symbols, invalid rows and repeated (symbol, date) rows are reported on the diagnostics stream.
 */
public final class ScoreFile {

    /** A progress line is printed every this many input rows. */
    public static final long PROGRESS_EVERY_ROWS = 100_000;

    private final PriceFileSource source;
    private final Forecaster forecaster;
    private final PrintStream diagnostics;

    public ScoreFile(PriceFileSource source, Forecaster forecaster, PrintStream diagnostics) {
        this.source = source;
        this.forecaster = forecaster;
        this.diagnostics = diagnostics;
    }

    /** Counts of one run. */
    public record Report(
            long rows,
            long invalidRows,
            long repeatedDates,
            int symbolsScored,
            Map<String, Integer> unknownSymbols,
            long forecasts) {}

    private record LinedPrice(long line, DailyPrice price) {}

    public Report run(Path input, Appendable output) throws IOException {
        Map<String, List<LinedPrice>> bySymbol = new LinkedHashMap<>();
        long[] counts = new long[3];
        source.read(input, new PriceRowListener() {
            @Override
            public void onRow(long line, String symbol, DailyPrice price) {
                bySymbol.computeIfAbsent(symbol, s -> new ArrayList<>()).add(new LinedPrice(line, price));
                if (++counts[0] % PROGRESS_EVERY_ROWS == 0) {
                    diagnostics.printf(
                            "score-file: read %,d rows of %s (%,d symbols so far)%n",
                            counts[0], input, bySymbol.size());
                }
            }

            @Override
            public void onInvalid(long line, String reason) {
                counts[1]++;
                diagnostics.printf("%s: line %d: invalid row: %s%n", input, line, reason);
            }

            @Override
            public void onDuplicate(long line, String symbol) {
                counts[2]++;
            }
        });

        long repeated = counts[2];
        long forecasts = 0;
        int scored = 0;
        Map<String, Integer> unknown = new LinkedHashMap<>();
        try (CSVPrinter printer = new CSVPrinter(
                output,
                CSVFormat.DEFAULT
                        .builder()
                        .setRecordSeparator('\n')
                        .setHeader(PredictionCsv.HEADER.toArray(String[]::new))
                        .get())) {
            for (Map.Entry<String, List<LinedPrice>> entry : bySymbol.entrySet()) {
                String symbol = entry.getKey();
                List<DailyPrice> rows = dateOrdered(input, symbol, entry.getValue());
                repeated += entry.getValue().size() - rows.size();
                SeriesForecast result = forecaster.forecast(symbol, rows);
                if (result instanceof SeriesForecast.UnknownSymbol u) {
                    unknown.put(symbol, u.rowCount());
                    diagnostics.printf(
                            "score-file: unknown symbol %s (%d rows): model %s has no scaler for it, no predictions%n",
                            symbol, u.rowCount(), forecaster.bundle().metadata().versionId());
                    continue;
                }
                List<Forecast> list = ((SeriesForecast.Forecasts) result).forecasts();
                for (int i = 0; i < list.size(); i++) {
                    Forecast f = list.get(i);
                    printer.printRecord(
                            CsvSafe.sanitize(symbol),
                            i,
                            f.targetDate(),
                            PredictionCsv.number(f.predictedOpen()),
                            f.actualOpen().isPresent()
                                    ? PredictionCsv.number(f.actualOpen().getAsDouble())
                                    : "");
                }
                forecasts += list.size();
                scored++;
            }
        }
        Report report = new Report(counts[0], counts[1], repeated, scored, unknown, forecasts);
        diagnostics.printf(
                "score-file: %,d rows read, %,d invalid, %,d repeated dates dropped; %d symbols scored, "
                        + "%d unknown symbols (%,d rows without predictions); %,d forecasts written%n",
                report.rows(),
                report.invalidRows(),
                report.repeatedDates(),
                report.symbolsScored(),
                unknown.size(),
                unknown.values().stream().mapToLong(Integer::longValue).sum(),
                report.forecasts());
        return report;
    }

    /** Sorts by date; of rows sharing a date, keeps the first in file order and reports the others. */
    private List<DailyPrice> dateOrdered(Path input, String symbol, List<LinedPrice> rows) {
        List<LinedPrice> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing((LinedPrice p) -> p.price().date()));
        List<DailyPrice> out = new ArrayList<>(sorted.size());
        LinedPrice kept = null;
        for (LinedPrice row : sorted) {
            LocalDate date = row.price().date();
            if (kept != null && kept.price().date().equals(date)) {
                diagnostics.printf(
                        "%s: line %d: symbol %s already has a row dated %s (line %d); ignored%n",
                        input, row.line(), symbol, date, kept.line());
                continue;
            }
            kept = row;
            out.add(row.price());
        }
        return out;
    }
}

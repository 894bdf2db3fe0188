package io.pricecast.model.scorefile;

import io.pricecast.model.features.DailyPrice;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.io.input.BOMInputStream;

/**
 * Minimal parser of CSV files with named columns {@code symbol, date, open, high, low, close, volume, market}
 * (the notebook's {@code crypto_filt.csv} layout and the public dump's). Parses only: numbers, ISO or
 * {@code d/m/yyyy} dates, and the column count. Validation rules (prices, duplicates, corrections) belong
 * to the {@code price-input} module, which replaces this class.
 */
public final class NotebookCsvSource implements PriceFileSource {

    static final List<String> REQUIRED_COLUMNS = List.of("symbol", "date", "open", "high", "low", "close", "volume", "market");
    private static final DateTimeFormatter DAY_MONTH_YEAR = DateTimeFormatter.ofPattern("d/M/uuuu");

    @Override
    public void read(Path file, PriceRowListener listener) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setAllowMissingColumnNames(true).setAllowDuplicateHeaderNames(true).get();
        try (InputStream raw = Files.newInputStream(file);
             InputStream noBom = BOMInputStream.builder().setInputStream(raw).get();
             Reader reader = new InputStreamReader(noBom, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
            Map<String, Integer> header = parser.getHeaderMap();
            for (String column : REQUIRED_COLUMNS) {
                if (!header.containsKey(column)) {
                    throw new IOException(file + ": line 1: header lacks column '" + column + "' (found "
                            + parser.getHeaderNames() + ")");
                }
            }
            for (CSVRecord record : parser) {
                long line = record.getRecordNumber() + 1;
                if (!record.isConsistent()) {
                    listener.onInvalid(line, "expected " + header.size() + " fields, got " + record.size());
                    continue;
                }
                try {
                    String symbol = record.get("symbol").trim();
                    if (symbol.isEmpty()) {
                        throw new IllegalArgumentException("symbol: empty");
                    }
                    listener.onRow(line, symbol, new DailyPrice(date(record.get("date")),
                            number(record, "open"), number(record, "high"), number(record, "low"),
                            number(record, "close"), number(record, "volume"), number(record, "market")));
                } catch (IllegalArgumentException e) {
                    listener.onInvalid(line, e.getMessage());
                }
            }
        }
    }

    private static double number(CSVRecord record, String column) {
        String text = record.get(column).trim();
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + ": not a number: '" + text + "'", e);
        }
    }

    private static LocalDate date(String text) {
        String trimmed = text.trim();
        try {
            return trimmed.contains("/") ? LocalDate.parse(trimmed, DAY_MONTH_YEAR) : LocalDate.parse(trimmed);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("date: not yyyy-mm-dd or d/m/yyyy: '" + trimmed + "'", e);
        }
    }
}

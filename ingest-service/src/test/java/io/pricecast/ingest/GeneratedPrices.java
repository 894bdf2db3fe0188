package io.pricecast.ingest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/** Writes large, valid price files in the short layout, day by day across all symbols (as a daily dump). */
public final class GeneratedPrices {

    static final LocalDate FIRST_DAY = LocalDate.of(2000, 1, 1);
    static final String HEADER = "symbol,date,open,high,low,close,volume,market";

    private GeneratedPrices() {}

    /**
     * @param file    where to write
     * @param symbols how many series
     * @param days    how many days each
     * @return the number of data rows written ({@code symbols * days})
     */
    public static long write(Path file, int symbols, int days) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.write('\n');
            for (int d = 0; d < days; d++) {
                String date = FIRST_DAY.plusDays(d).toString();
                for (int s = 0; s < symbols; s++) {
                    double open = 100 + s + (d % 97) * 0.5;
                    out.write("S" + s + "," + date + "," + open + "," + (open * 1.1) + "," + (open * 0.9) + ","
                            + (open * 1.02) + "," + (1000 + d) + "," + (50_000 + s));
                    out.write('\n');
                }
            }
        }
        return (long) symbols * days;
    }
}

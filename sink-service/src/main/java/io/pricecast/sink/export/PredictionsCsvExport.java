package io.pricecast.sink.export;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.pricecast.schemas.Rescoring;
import io.pricecast.schemas.csv.CsvSafe;
import io.pricecast.schemas.csv.PredictionCsv;
import io.pricecast.sink.cql.SinkTables;
import io.pricecast.sink.cql.SymbolCatalog;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Iterator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The predictions CSV of docs/model.md ("Predictions CSV"), {@code symbol,index,date,pred_open,val_open}, streamed: symbol
 * after symbol, it pages through that series' forecasts and prices (both in date order) and merges them
 * as it writes, so memory stays constant whatever the size of the export.
 *
 * <p>Per target date it writes one forecast: the given model version's, or else the latest-scored one.
 * {@code index} counts 0.. per symbol over the exported rows; {@code val_open} is the actual open of the
 * target date, empty while unknown.
 */
public final class PredictionsCsvExport {

    /** Rows fetched per Cassandra page. */
    static final int PAGE_SIZE = 5000;

    private static final CSVFormat FORMAT =
            CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    private final CqlSession session;
    private final SymbolCatalog symbols;
    private final PreparedStatement forecasts;
    private final PreparedStatement prices;

    /**
     * @param session  the session
     * @param keyspace keyspace
     * @param symbols  the symbol catalogue
     */
    public PredictionsCsvExport(CqlSession session, String keyspace, SymbolCatalog symbols) {
        this.session = session;
        this.symbols = symbols;
        this.forecasts = session.prepare(
                "SELECT target_date, model_version, pred_open, scored_at, scoring_version FROM " + keyspace + "."
                        + SinkTables.PREDICTIONS_BY_SERIES
                        + " WHERE dataset = ? AND symbol = ? AND target_date >= ? AND target_date <= ?");
        this.prices = session.prepare("SELECT date, open FROM " + keyspace + "." + SinkTables.PRICES_BY_SERIES
                + " WHERE dataset = ? AND symbol = ? AND date >= ? AND date <= ?");
    }

    /**
     * @param request what to export
     * @return whether there is anything to name: explicit symbols, or a dataset with symbols
     */
    public boolean datasetKnown(ExportRequest request) {
        return !request.symbols().isEmpty()
                || symbols.symbols(session, request.dataset()).iterator().hasNext();
    }

    /**
     * Writes the CSV, header first.
     *
     * @param request what to export
     * @param out     where (flushed, not closed)
     * @return the number of data rows written
     * @throws IOException when writing fails (e.g. the client went away)
     */
    public long write(ExportRequest request, Writer out) throws IOException {
        CSVPrinter csv = new CSVPrinter(out, FORMAT);
        csv.printRecord(PredictionCsv.HEADER);
        Iterable<String> series =
                request.symbols().isEmpty() ? symbols.symbols(session, request.dataset()) : request.symbols();
        long rows = 0;
        for (String symbol : series) {
            rows += writeSeries(request, symbol, csv);
        }
        csv.flush();
        return rows;
    }

    private long writeSeries(ExportRequest request, String symbol, CSVPrinter csv) throws IOException {
        String cell = CsvSafe.sanitize(symbol);
        long[] index = {0};
        series(
                request,
                symbol,
                row -> csv.printRecord(
                        cell,
                        index[0]++,
                        row.date().toString(),
                        PredictionCsv.number(row.predOpen()),
                        row.valOpen() == null ? "" : PredictionCsv.number(row.valOpen())));
        return index[0];
    }

    /**
     * The rows of one series exactly as the CSV exports them, in target-date order: per target date the
     * given model version's forecast or else the latest-scored live one (a re-scored forecast only where
     * the live stream made none for that day), with the actual open of that day. The
     * chart page and the accuracy figures read through this method, so they cannot disagree with the CSV.
     *
     * @param request what to export (its symbols are ignored)
     * @param symbol  the series
     * @param visitor receives each row
     * @return the number of rows
     * @throws IOException when the visitor fails to write
     */
    public long series(ExportRequest request, String symbol, RowVisitor visitor) throws IOException {
        Iterator<Row> forecastRows = session.execute(forecasts
                        .bind(request.dataset(), symbol, request.from(), request.to())
                        .setPageSize(PAGE_SIZE))
                .iterator();
        Iterator<Row> priceRows = session.execute(prices.bind(request.dataset(), symbol, request.from(), request.to())
                        .setPageSize(PAGE_SIZE))
                .iterator();
        Row price = priceRows.hasNext() ? priceRows.next() : null;
        long count = 0;
        Chosen chosen = null;
        while (forecastRows.hasNext() || chosen != null) {
            Row row = forecastRows.hasNext() ? forecastRows.next() : null;
            LocalDate date = row == null ? null : row.getLocalDate(0);
            if (chosen != null && !chosen.date.equals(date)) {
                // every forecast of chosen.date has been seen: hand it on
                while (price != null && price.getLocalDate(0).isBefore(chosen.date)) {
                    price = priceRows.hasNext() ? priceRows.next() : null;
                }
                Double valOpen = price != null && price.getLocalDate(0).equals(chosen.date) ? price.getDouble(1) : null;
                visitor.row(new SeriesRow(chosen.date, chosen.model, chosen.predOpen, valOpen));
                count++;
                chosen = null;
            }
            if (row == null) {
                break;
            }
            String model = row.getString(1);
            if (request.model() != null && !request.model().equals(model)) {
                continue;
            }
            Instant scoredAt = row.getInstant(3);
            boolean rescore = request.model() == null && Rescoring.isRescore(row.getString(4));
            if (chosen == null || Chosen.preferred(rescore, scoredAt, model, chosen)) {
                chosen = new Chosen(date, model, row.getDouble(2), scoredAt, rescore);
            }
        }
        return count;
    }

    /**
     * One exported row.
     *
     * @param date         the forecast's target day
     * @param modelVersion the model version whose forecast was chosen
     * @param predOpen     the forecast
     * @param valOpen      the actual open of that day, null while unknown
     */
    public record SeriesRow(LocalDate date, String modelVersion, double predOpen, Double valOpen) {}

    /** Receives the rows of {@link #series}. */
    @FunctionalInterface
    public interface RowVisitor {
        /**
         * @param row the next row
         * @throws IOException when writing it fails
         */
        void row(SeriesRow row) throws IOException;
    }

    /** The forecast picked so far for one target date. */
    private record Chosen(LocalDate date, String model, double predOpen, Instant scoredAt, boolean rescore) {
        /** A live forecast before a re-scored one; then the latest scored, then the greatest version. */
        static boolean preferred(boolean rescore, Instant scoredAt, String model, Chosen than) {
            if (rescore != than.rescore) {
                return !rescore;
            }
            Instant a = scoredAt == null ? Instant.EPOCH : scoredAt;
            Instant b = than.scoredAt == null ? Instant.EPOCH : than.scoredAt;
            return a.isAfter(b) || a.equals(b) && model.compareTo(than.model) > 0;
        }
    }
}

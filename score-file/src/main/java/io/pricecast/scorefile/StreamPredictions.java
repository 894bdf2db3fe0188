package io.pricecast.scorefile;

import io.pricecast.input.PriceRow;
import io.pricecast.input.Rejection;
import io.pricecast.input.SeriesKey;
import io.pricecast.input.batch.BatchCleaner;
import io.pricecast.input.batch.BatchOutcomes;
import io.pricecast.input.csv.PriceCsvReader;
import io.pricecast.model.features.DailyPrice;
import io.pricecast.model.features.Features;
import io.pricecast.model.features.SeriesState;
import io.pricecast.model.forecast.Forecaster;
import io.pricecast.model.network.ForwardPass;
import io.pricecast.model.scaler.SymbolScaler;
import io.pricecast.schemas.csv.CsvSafe;
import io.pricecast.schemas.csv.PredictionCsv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The predictions CSV that the pred URL gives for one price file uploaded into an empty dataset, computed without
 * Kafka or Cassandra: the stream's semantics, not {@link ScoreFile}'s. Every accepted row D of a known symbol gets the
 * forecast of D + 1 calendar day; its {@code val_open} is the open of the series' row dated D + 1 when the file has
 * one, else empty (so a gap in the dates leaves a forecast without its actual, as in the stream). Rows are cleaned by
 * the ingest rules ({@link BatchCleaner}: any order, exact repeats counted once, conflicting duplicates refused) and
 * come out series after series in date order.
 *
 * <p>Memory is constant: the cleaner spills sorted runs to disk, and this keeps one series' feature state and at most
 * {@link #BATCH} windows waiting for the forward pass.
 */
public final class StreamPredictions {

    /** Windows handed to the forward pass at once. */
    public static final int BATCH = 512;
    /** Rejections kept with their text; beyond this only counted. */
    public static final int REJECTIONS_KEPT = 100;

    private static final CSVFormat FORMAT =
            CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    private final Forecaster forecaster;
    private final ForwardPass network;
    private final BatchCleaner cleaner;

    /**
     * @param forecaster the model (scalers) and its forward pass
     * @param network    the same forward pass, called with batches of windows
     * @param cleaner    the batch rules and where they spill
     */
    public StreamPredictions(Forecaster forecaster, ForwardPass network, BatchCleaner cleaner) {
        this.forecaster = forecaster;
        this.network = network;
        this.cleaner = cleaner;
    }

    /**
     * What one file gave.
     *
     * @param records        records read (rows and refused lines)
     * @param accepted       rows accepted by the ingest rules
     * @param duplicates     exact repeats of an accepted row (counted, not scored twice)
     * @param rejected       records refused, per reason code
     * @param rejections     the first {@value #REJECTIONS_KEPT} refusals, in the order they were found
     * @param unknownSymbols rows of series the model has no scaler for, per series (no forecasts)
     * @param forecasts      data rows written
     */
    public record Outcome(
            long records,
            long accepted,
            long duplicates,
            Map<String, Long> rejected,
            List<Rejection> rejections,
            Map<String, Long> unknownSymbols,
            long forecasts) {

        /** @return records refused, all reasons */
        public long rejectedCount() {
            return rejected.values().stream().mapToLong(Long::longValue).sum();
        }

        /** @return rows of unknown symbols */
        public long unknownSymbolRows() {
            return unknownSymbols.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Reads the whole file and writes the predictions CSV, header first.
     *
     * @param reader the file, header already read (closed by the caller)
     * @param out    where the CSV goes (flushed, not closed)
     */
    public Outcome write(PriceCsvReader reader, Appendable out) throws IOException {
        CSVPrinter csv = new CSVPrinter(out, FORMAT);
        csv.printRecord(PredictionCsv.HEADER);
        Writer writer = new Writer(csv);
        try {
            cleaner.clean(reader, writer);
            writer.endSeries();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        csv.flush();
        return new Outcome(
                reader.recordsRead(),
                writer.accepted,
                writer.duplicates,
                Map.copyOf(writer.rejected),
                List.copyOf(writer.rejections),
                Map.copyOf(writer.unknown),
                writer.written);
    }

    /** A forecast whose window is drafted; its output and actual may still be unknown. */
    private static final class Draft {
        final String cell;
        final long index;
        final LocalDate base;
        final double baseOpen;
        final SymbolScaler scaler;
        final float[][] window;
        float output;
        boolean scored;
        Double valOpen;
        boolean actualKnown;

        Draft(String cell, long index, LocalDate base, double baseOpen, SymbolScaler scaler, float[][] window) {
            this.cell = cell;
            this.index = index;
            this.base = base;
            this.baseOpen = baseOpen;
            this.scaler = scaler;
            this.window = window;
        }
    }

    /** Receives the cleaned rows, drafts the windows, scores them in batches and writes the finished rows in order. */
    private final class Writer implements BatchOutcomes {
        private final CSVPrinter csv;
        private final List<Draft> drafts = new ArrayList<>(BATCH);
        private final Map<String, Long> rejected = new LinkedHashMap<>();
        private final List<Rejection> rejections = new ArrayList<>();
        private final Map<String, Long> unknown = new LinkedHashMap<>();
        private SeriesKey series;
        private SymbolScaler scaler;
        private SeriesState state;
        private Draft last;
        private long index;
        private long accepted;
        private long duplicates;
        private long written;

        Writer(CSVPrinter csv) {
            this.csv = csv;
        }

        @Override
        public void accepted(SeriesKey key, PriceRow row) {
            accepted++;
            if (!key.equals(series)) {
                endSeries();
                startSeries(key);
            }
            if (scaler == null) {
                unknown.merge(key.id(), 1L, Long::sum);
                return;
            }
            DailyPrice day = new DailyPrice(
                    row.date(), row.open(), row.high(), row.low(), row.close(), row.volume(), row.market());
            if (last != null) {
                last.actualKnown = true;
                last.valOpen = row.date().equals(last.base.plusDays(1)) ? row.open() : null;
            }
            SeriesState.Step step = state.next(day, scaler);
            state = step.state();
            last = new Draft(CsvSafe.sanitize(key.id()), index++, row.date(), row.open(), scaler, step.window());
            drafts.add(last);
            if (drafts.size() >= BATCH) {
                flush();
            }
        }

        @Override
        public void duplicate(SeriesKey key, PriceRow row) {
            duplicates++;
        }

        @Override
        public void rejected(Rejection rejection) {
            rejected.merge(rejection.reason().code(), 1L, Long::sum);
            if (rejections.size() < REJECTIONS_KEPT) {
                rejections.add(rejection);
            }
        }

        private void startSeries(SeriesKey key) {
            series = key;
            Optional<SymbolScaler> found = forecaster.bundle().scalers().forSymbol(key.id());
            scaler = found.orElse(null);
            state = SeriesState.empty();
            index = 0;
            last = null;
        }

        /** The series' newest forecast has no actual yet: its row is final. */
        void endSeries() {
            if (last != null) {
                last.actualKnown = true;
                last.valOpen = null;
                last = null;
            }
            flush();
        }

        /** Scores every drafted window, then writes the drafts whose actual is known, in order. */
        private void flush() {
            List<Draft> unscored = drafts.stream().filter(d -> !d.scored).toList();
            if (!unscored.isEmpty()) {
                float[] windows = new float[unscored.size() * Features.WINDOW_SIZE];
                for (int i = 0; i < unscored.size(); i++) {
                    Features.copy(unscored.get(i).window, windows, i * Features.WINDOW_SIZE);
                }
                float[] outputs = network.predict(windows, unscored.size());
                for (int i = 0; i < unscored.size(); i++) {
                    unscored.get(i).output = outputs[i];
                    unscored.get(i).scored = true;
                }
            }
            int done = 0;
            try {
                for (Draft d : drafts) {
                    if (!d.actualKnown) {
                        break;
                    }
                    csv.printRecord(
                            d.cell,
                            d.index,
                            d.base.plusDays(1).toString(),
                            PredictionCsv.number(Forecaster.nextOpen(d.baseOpen, d.output, d.scaler)),
                            d.valOpen == null ? "" : PredictionCsv.number(d.valOpen));
                    done++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            written += done;
            drafts.subList(0, done).clear();
        }
    }
}

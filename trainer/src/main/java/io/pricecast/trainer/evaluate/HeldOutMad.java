package io.pricecast.trainer.evaluate;

import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.features.DailyPrice;
import io.pricecast.model.forecast.Forecast;
import io.pricecast.model.forecast.Forecaster;
import io.pricecast.model.forecast.SeriesForecast;
import io.pricecast.model.network.PlainJavaBiGru;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Mean absolute deviation of next-day open forecasts over the days of a series from a date on, for a candidate
 * model, the active model and the naive forecast "tomorrow's open = today's open". Forecasts come from the model
 * library's {@link Forecaster} with the plain-Java forward pass, so the figures are what scoring produces.
 */
public final class HeldOutMad {

    private final Forecaster candidate;
    private final Forecaster active;

    /**
     * @param candidate the model under evaluation
     * @param active    the model it would replace, or {@code null} for none
     */
    public HeldOutMad(ModelBundle candidate, ModelBundle active) {
        this.candidate = new Forecaster(candidate, new PlainJavaBiGru(candidate.weights()));
        this.active = active == null ? null : new Forecaster(active, new PlainJavaBiGru(active.weights()));
    }

    /**
     * One symbol's figures.
     *
     * @param days      forecast days evaluated (target date on or after the start, actual open known)
     * @param candidate the candidate's MAD, empty when it has no scaler for the symbol
     * @param active    the active model's MAD, empty when there is none or it has no scaler for the symbol
     * @param naive     the MAD of "tomorrow = today"
     */
    public record SymbolMad(String symbol, int days, OptionalDouble candidate, OptionalDouble active, double naive) {}

    /** Figures over all symbols: means over the days of every symbol both models can score. */
    public record Summary(
            List<SymbolMad> symbols,
            int days,
            OptionalDouble candidate,
            OptionalDouble active,
            double naive,
            int comparedSymbols) {

        /** Whether the candidate is at least as good as the active model on the symbols both score. */
        public boolean candidateNotWorse() {
            return active.isEmpty() || (candidate.isPresent() && candidate.getAsDouble() <= active.getAsDouble());
        }
    }

    /** Figures for every series over target dates on or after {@code from}. */
    public Summary evaluate(Map<String, List<DailyPrice>> series, LocalDate from) {
        List<SymbolMad> out = new ArrayList<>();
        double candidateSum = 0;
        double activeSum = 0;
        double naiveSum = 0;
        int compared = 0;
        int comparedDays = 0;
        int allDays = 0;
        double naiveAll = 0;
        for (Map.Entry<String, List<DailyPrice>> entry : series.entrySet()) {
            String symbol = entry.getKey();
            List<DailyPrice> rows = entry.getValue();
            double naive = 0;
            int days = 0;
            for (int i = 0; i + 1 < rows.size(); i++) {
                if (!rows.get(i + 1).date().isBefore(from)) {
                    naive += Math.abs(rows.get(i + 1).open() - rows.get(i).open());
                    days++;
                }
            }
            if (days == 0) {
                continue;
            }
            Optional<double[]> c = absoluteErrorSum(candidate, symbol, rows, from);
            Optional<double[]> a = active == null ? Optional.empty() : absoluteErrorSum(active, symbol, rows, from);
            out.add(new SymbolMad(symbol, days, mean(c), mean(a), naive / days));
            allDays += days;
            naiveAll += naive;
            if (c.isPresent() && (active == null || a.isPresent())) {
                candidateSum += c.get()[0];
                activeSum += a.map(x -> x[0]).orElse(0.0);
                naiveSum += naive;
                compared++;
                comparedDays += days;
            }
        }
        return new Summary(
                List.copyOf(out),
                allDays,
                comparedDays == 0 ? OptionalDouble.empty() : OptionalDouble.of(candidateSum / comparedDays),
                active == null || comparedDays == 0
                        ? OptionalDouble.empty()
                        : OptionalDouble.of(activeSum / comparedDays),
                allDays == 0 ? 0 : (compared == 0 ? naiveAll / allDays : naiveSum / comparedDays),
                compared);
    }

    private static OptionalDouble mean(Optional<double[]> sumAndCount) {
        return sumAndCount.map(x -> OptionalDouble.of(x[0] / x[1])).orElse(OptionalDouble.empty());
    }

    /** {@code [sum |pred - actual|, days]}, or empty when the model does not know the symbol. */
    private static Optional<double[]> absoluteErrorSum(
            Forecaster model, String symbol, List<DailyPrice> rows, LocalDate from) {
        SeriesForecast result = model.forecast(symbol, rows);
        if (!(result instanceof SeriesForecast.Forecasts forecasts)) {
            return Optional.empty();
        }
        double sum = 0;
        int days = 0;
        for (Forecast f : forecasts.forecasts()) {
            if (f.actualOpen().isPresent() && !f.targetDate().isBefore(from)) {
                sum += Math.abs(f.predictedOpen() - f.actualOpen().getAsDouble());
                days++;
            }
        }
        return days == 0 ? Optional.empty() : Optional.of(new double[] {sum, days});
    }

    /** The summary as a JSON-friendly map (per-symbol figures included). */
    public static Map<String, Object> describe(Summary summary) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("days", summary.days());
        m.put("compared_symbols", summary.comparedSymbols());
        m.put(
                "mad_candidate",
                summary.candidate().isPresent() ? summary.candidate().getAsDouble() : null);
        m.put("mad_active", summary.active().isPresent() ? summary.active().getAsDouble() : null);
        m.put("mad_naive", summary.naive());
        List<Map<String, Object>> symbols = new ArrayList<>();
        for (SymbolMad s : summary.symbols()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("symbol", s.symbol());
            row.put("days", s.days());
            row.put("mad_candidate", s.candidate().isPresent() ? s.candidate().getAsDouble() : null);
            row.put("mad_active", s.active().isPresent() ? s.active().getAsDouble() : null);
            row.put("mad_naive", s.naive());
            symbols.add(row);
        }
        m.put("symbols", symbols);
        return m;
    }
}

package io.pricecast.model.forecast;

import static io.pricecast.model.features.FeatureSpec.TARGET_INDEX;

import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.features.DailyPrice;
import io.pricecast.model.features.Features;
import io.pricecast.model.features.SeriesState;
import io.pricecast.model.network.ForwardPass;
import io.pricecast.model.scaler.SymbolScaler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Offline one-step-ahead forecasts of a symbol's rows with a bundle's scalers and a forward pass: for each
 * day D, the open of the next day is {@code open(D) + output * scale + mean} (the symbol's {@code v_open} scaler).
 * Thread-safe when the forward pass is.
 */
public final class Forecaster {

    /** Largest batch handed to the forward pass at once (bounds native memory per call). */
    public static final int MAX_BATCH = 4096;

    private final ModelBundle bundle;
    private final ForwardPass network;

    public Forecaster(ModelBundle bundle, ForwardPass network) {
        this.bundle = Objects.requireNonNull(bundle, "bundle");
        this.network = Objects.requireNonNull(network, "network");
    }

    public ModelBundle bundle() {
        return bundle;
    }

    /** The predicted next open from day D's open and the network's output for the window ending on D. */
    public static double nextOpen(double openOfDay, float output, SymbolScaler scaler) {
        return openOfDay + output * scaler.scale(TARGET_INDEX) + scaler.mean(TARGET_INDEX);
    }

    /** The result of one streaming step: the symbol's new state and the forecast for the day after the row. */
    public record Step(SeriesState state, Forecast forecast) {}

    /**
     * One streaming step: advances the symbol's state by {@code row} and forecasts the open of the next
     * calendar day (the same numbers {@link #forecast} gives for that row).
     *
     * @return empty when the bundle has no scaler for the symbol (the caller counts and reports it)
     * @throws IllegalArgumentException when {@code row} does not follow the state's previous row
     */
    public Optional<Step> next(String symbol, SeriesState state, DailyPrice row) {
        Optional<SymbolScaler> found = bundle.scalers().forSymbol(symbol);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        SeriesState.Step step = state.next(row, found.get());
        float output = network.predict(new float[][][] {step.window()})[0];
        return Optional.of(new Step(
                step.state(),
                new Forecast(
                        symbol,
                        row.date(),
                        row.date().plusDays(1),
                        nextOpen(row.open(), output, found.get()),
                        OptionalDouble.empty())));
    }

    /**
     * @param symbol the series' symbol
     * @param rows   the symbol's rows in strictly increasing date order
     * @return forecasts for every row, or {@link SeriesForecast.UnknownSymbol} when the bundle has no scaler for it
     * @throws IllegalArgumentException when the rows are not in strictly increasing date order
     */
    public SeriesForecast forecast(String symbol, List<DailyPrice> rows) {
        Optional<SymbolScaler> found = bundle.scalers().forSymbol(symbol);
        if (found.isEmpty()) {
            return new SeriesForecast.UnknownSymbol(symbol, rows.size());
        }
        SymbolScaler scaler = found.get();
        float[] windows = Features.windows(rows, scaler);
        float[] outputs = new float[rows.size()];
        for (int start = 0; start < rows.size(); start += MAX_BATCH) {
            int batch = Math.min(MAX_BATCH, rows.size() - start);
            float[] chunk =
                    Arrays.copyOfRange(windows, start * Features.WINDOW_SIZE, (start + batch) * Features.WINDOW_SIZE);
            System.arraycopy(network.predict(chunk, batch), 0, outputs, start, batch);
        }
        List<Forecast> forecasts = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            DailyPrice day = rows.get(i);
            boolean newest = i == rows.size() - 1;
            DailyPrice next = newest ? null : rows.get(i + 1);
            forecasts.add(new Forecast(
                    symbol,
                    day.date(),
                    newest ? day.date().plusDays(1) : next.date(),
                    nextOpen(day.open(), outputs[i], scaler),
                    newest ? OptionalDouble.empty() : OptionalDouble.of(next.open())));
        }
        return new SeriesForecast.Forecasts(symbol, rows.size(), forecasts);
    }
}

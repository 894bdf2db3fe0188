package io.pricecast.model.forecast;

import java.util.List;

/** What the forecaster made of one symbol's rows: forecasts, or the reason there are none. */
public sealed interface SeriesForecast {

    String symbol();

    /** Number of input rows of the symbol. */
    int rowCount();

    /** One forecast per input row, in date order (the last one has no actual open). */
    record Forecasts(String symbol, int rowCount, List<Forecast> forecasts) implements SeriesForecast {
        public Forecasts {
            forecasts = List.copyOf(forecasts);
        }
    }

    /** The bundle has no scaler for the symbol, so the model cannot score it. */
    record UnknownSymbol(String symbol, int rowCount) implements SeriesForecast {}
}

package io.pricecast.model.forecast;

import java.time.LocalDate;
import java.util.OptionalDouble;

/**
 * One one-step-ahead forecast.
 *
 * @param symbol        the series' symbol
 * @param basisDate     day D, the last day of the input window
 * @param targetDate    the forecast's day: the next row's date, or D + 1 calendar day for the newest row
 * @param predictedOpen {@code open(D) + output * scale + mean} of the symbol's {@code v_open} scaler
 * @param actualOpen    the next row's open, empty for the newest row (not yet known)
 */
public record Forecast(
        String symbol, LocalDate basisDate, LocalDate targetDate, double predictedOpen, OptionalDouble actualOpen) {}

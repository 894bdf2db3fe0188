package io.pricecast.model.accuracy;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One forecast scored against the actual open of its target day.
 *
 * @param targetDate    the day the forecast was for
 * @param absError      {@code |pred_open - val_open|}
 * @param naiveAbsError {@code |base_open - val_open|}: the error of the naive forecast "tomorrow's open = today's"
 */
public record ForecastError(LocalDate targetDate, double absError, double naiveAbsError) {

    public ForecastError {
        Objects.requireNonNull(targetDate, "targetDate");
    }

    /**
     * @param targetDate the forecast's target day
     * @param predOpen   the forecast open
     * @param valOpen    the actual open of that day
     * @param baseOpen   the open of the day the forecast was made from
     * @return the forecast's errors
     */
    public static ForecastError of(LocalDate targetDate, double predOpen, double valOpen, double baseOpen) {
        return new ForecastError(targetDate, Math.abs(predOpen - valOpen), Math.abs(baseOpen - valOpen));
    }
}

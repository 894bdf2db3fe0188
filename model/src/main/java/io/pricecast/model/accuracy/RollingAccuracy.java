package io.pricecast.model.accuracy;

import java.time.LocalDate;
import java.util.List;

/**
 * The rolling accuracy of one series under one model version, computed from its scored forecasts.
 *
 * <p>A window of N days holds the scored forecasts whose target date lies within the N calendar days ending at
 * the series' newest scored target date ({@code lastTargetDate}); a day without an actual or a forecast simply has
 * no entry, so a gap shrinks the window rather than reaching further back. MAD is the mean of
 * {@code |pred_open - val_open|} over the window, the naive MAD the mean of {@code |base_open - val_open|} (the
 * forecast "tomorrow's open = today's open") over the same days. A series is flagged when its 30-day MAD exceeds
 * its 30-day naive MAD: the model did worse than doing nothing.
 *
 * @param lastTargetDate newest scored target date
 * @param scored7        scored forecasts in the 7-day window
 * @param mad7           their MAD
 * @param naiveMad7      the naive MAD over the same days
 * @param scored30       scored forecasts in the 30-day window
 * @param mad30          their MAD
 * @param naiveMad30     the naive MAD over the same days
 * @param flagged        {@code mad30 > naiveMad30}
 */
public record RollingAccuracy(
        LocalDate lastTargetDate,
        int scored7,
        double mad7,
        double naiveMad7,
        int scored30,
        double mad30,
        double naiveMad30,
        boolean flagged) {

    /** The short window, in days. */
    public static final int SHORT_DAYS = 7;
    /** The long window, in days (also what the flag compares). */
    public static final int LONG_DAYS = 30;

    /**
     * @param newestFirst scored forecasts, newest target date first (at least the last {@link #LONG_DAYS} days of
     *                    them; older ones are ignored)
     * @return the figures, or null when nothing was scored
     */
    public static RollingAccuracy of(List<ForecastError> newestFirst) {
        if (newestFirst.isEmpty()) {
            return null;
        }
        LocalDate last = newestFirst.get(0).targetDate();
        Window w7 = Window.over(newestFirst, last.minusDays(SHORT_DAYS - 1L));
        Window w30 = Window.over(newestFirst, last.minusDays(LONG_DAYS - 1L));
        return new RollingAccuracy(
                last,
                w7.count,
                w7.mad(),
                w7.naiveMad(),
                w30.count,
                w30.mad(),
                w30.naiveMad(),
                w30.mad() > w30.naiveMad());
    }

    /** Sums over the forecasts from {@code first} on. */
    private record Window(int count, double errors, double naiveErrors) {
        static Window over(List<ForecastError> newestFirst, LocalDate first) {
            int n = 0;
            double e = 0;
            double naive = 0;
            for (ForecastError f : newestFirst) {
                if (f.targetDate().isBefore(first)) {
                    break;
                }
                n++;
                e += f.absError();
                naive += f.naiveAbsError();
            }
            return new Window(n, e, naive);
        }

        double mad() {
            return errors / count;
        }

        double naiveMad() {
            return naiveErrors / count;
        }
    }
}

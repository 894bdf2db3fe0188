package io.pricecast.model.accuracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollingAccuracyTest {

    private static final LocalDate LAST = LocalDate.of(2018, 3, 31);

    @Test
    void windowsAreCalendarDaysEndingAtTheNewestScoredDay() {
        List<ForecastError> newestFirst = new ArrayList<>();
        for (int back = 0; back < 40; back++) {
            // error = day number back, naive error always 10
            newestFirst.add(new ForecastError(LAST.minusDays(back), back, 10));
        }
        RollingAccuracy a = RollingAccuracy.of(newestFirst);
        assertThat(a.lastTargetDate()).isEqualTo(LAST);
        assertThat(a.scored7()).isEqualTo(7);
        assertThat(a.mad7()).isCloseTo(3.0, within(1e-12)); // mean of 0..6
        assertThat(a.scored30()).isEqualTo(30);
        assertThat(a.mad30()).isCloseTo(14.5, within(1e-12)); // mean of 0..29
        assertThat(a.naiveMad30()).isEqualTo(10.0);
        assertThat(a.flagged()).as("14.5 > 10: worse than naive").isTrue();
    }

    @Test
    void aMissingDayShrinksTheWindowInsteadOfReachingFurtherBack() {
        List<ForecastError> newestFirst = List.of(
                new ForecastError(LAST, 1, 2),
                new ForecastError(LAST.minusDays(6), 3, 2),
                new ForecastError(LAST.minusDays(7), 100, 2));
        RollingAccuracy a = RollingAccuracy.of(newestFirst);
        assertThat(a.scored7()).isEqualTo(2);
        assertThat(a.mad7()).isEqualTo(2.0);
        assertThat(a.naiveMad7()).isEqualTo(2.0);
        assertThat(a.scored30()).isEqualTo(3);
        assertThat(a.flagged()).isTrue();
    }

    @Test
    void aModelBetterThanNaiveIsNotFlaggedAndNothingScoredGivesNoFigures() {
        assertThat(RollingAccuracy.of(List.of(new ForecastError(LAST, 1, 2))).flagged())
                .isFalse();
        assertThat(RollingAccuracy.of(List.of())).isNull();
    }
}

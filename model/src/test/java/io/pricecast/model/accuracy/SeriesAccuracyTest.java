package io.pricecast.model.accuracy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesAccuracyTest {

    private static final LocalDate D1 = LocalDate.of(2018, 1, 1);
    private static final SeriesAccuracy.ValueRef REF = new SeriesAccuracy.ValueRef("prices.clean", 2, 40);

    @Test
    void aForecastMadeBeforeItsDayIsScoredWhenTheDayArrives() {
        SeriesAccuracy book = SeriesAccuracy.empty();
        assertThat(book.forecastMade("v1", D1.plusDays(1), 110, 100, D1)).isTrue();
        assertThat(book.awaiting()).hasSize(1);

        List<SeriesAccuracy.Scored> scored = book.actualArrived(D1.plusDays(1), 104, REF);

        assertThat(scored).singleElement().satisfies(s -> {
            assertThat(s.error()).isEqualTo(new ForecastError(D1.plusDays(1), 6, 4));
            assertThat(s.modelVersion()).isEqualTo("v1");
            assertThat(s.actual()).isEqualTo(REF);
            assertThat(s.figures().scored30()).isEqualTo(1);
            assertThat(s.figures().flagged()).as("6 > 4").isTrue();
        });
        assertThat(book.awaiting()).isEmpty();
        assertThat(book.errors().get("v1")).hasSize(1);
    }

    @Test
    void aForecastMadeOnceItsActualIsKnownIsScoredAtOnceIntoTheSameFigures() {
        SeriesAccuracy book = SeriesAccuracy.empty();
        book.forecastMade("v1", D1.plusDays(1), 110, 100, D1);
        book.actualArrived(D1.plusDays(1), 104, REF);

        SeriesAccuracy.Scored scored = book.scoreKnown("v1", D1.plusDays(2), 103, 104, 105, null);

        assertThat(scored.error()).isEqualTo(new ForecastError(D1.plusDays(2), 2, 1));
        assertThat(scored.figures().scored7()).isEqualTo(2);
        assertThat(scored.figures().mad7()).isEqualTo(4.0);
        assertThat(scored.figures().lastTargetDate()).isEqualTo(D1.plusDays(2));
    }

    @Test
    void aForecastWhoseDayTheSeriesSkippedIsNeverScoredAndNotKept() {
        SeriesAccuracy book = SeriesAccuracy.empty();
        book.forecastMade("v1", D1.plusDays(1), 110, 100, D1);
        assertThat(book.actualArrived(D1.plusDays(3), 104, REF)).isEmpty();
        assertThat(book.awaiting()).isEmpty();

        assertThat(book.forecastMade("v1", D1.plusDays(4), 110, 100, D1.plusDays(5)))
                .as("the series is past day 4")
                .isFalse();
        assertThat(book.isEmpty()).isTrue();
    }

    @Test
    void keepsOnlyTheLastThirtyDaysPerModelAndTheMostRecentlyScoredModels() {
        SeriesAccuracy book = SeriesAccuracy.empty();
        for (int day = 0; day < 45; day++) {
            book.forecastMade("v1", D1.plusDays(day + 1L), 1, 1, D1.plusDays(day));
            book.actualArrived(D1.plusDays(day + 1L), 2, null);
        }
        assertThat(book.errors().get("v1")).hasSize(RollingAccuracy.LONG_DAYS);
        assertThat(book.errors().get("v1").get(0).targetDate()).isEqualTo(D1.plusDays(45));
        for (int m = 0; m < SeriesAccuracy.MAX_MODELS + 2; m++) {
            book.forecastMade("m" + m, D1.plusDays(100), 1, 1, D1.plusDays(99));
        }
        List<SeriesAccuracy.Scored> scored = book.actualArrived(D1.plusDays(100), 2, null);
        assertThat(scored).hasSize(SeriesAccuracy.MAX_MODELS + 2);
        assertThat(book.errors()).hasSize(SeriesAccuracy.MAX_MODELS).doesNotContainKey("v1");
    }
}

package io.pricecast.model.accuracy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SeriesAccuracyTest {

    private static final LocalDate D1 = LocalDate.of(2018, 1, 1);
    private static final SeriesAccuracy.ValueRef REF = new SeriesAccuracy.ValueRef("prices.clean", 2, 40);

    @Test
    void aForecastMadeBeforeItsDayIsScoredWhenTheDayArrives() {
        SeriesAccuracy book = SeriesAccuracy.empty();
        book.drafted(D1.plusDays(1));
        assertThat(book.forecastMade("v1", D1.plusDays(1), 110, 100, D1)).isEmpty();
        assertThat(book.awaiting()).hasSize(1);

        List<SeriesAccuracy.Scored> scored = book.actualArrived(D1.plusDays(1), 104, REF);

        assertThat(scored).singleElement().satisfies(s -> {
            assertThat(s.error()).isEqualTo(new ForecastError(D1.plusDays(1), 6, 4));
            assertThat(s.modelVersion()).isEqualTo("v1");
            assertThat(s.actual()).isEqualTo(REF);
            assertThat(s.figures().scored30()).isEqualTo(1);
            assertThat(s.figures().flagged()).as("6 > 4").isTrue();
        });
        assertThat(book.isEmpty()).as("only the errors stay").isFalse();
        assertThat(book.awaiting()).isEmpty();
        assertThat(book.errors().get("v1")).hasSize(1);
    }

    @Test
    void anActualThatArrivesWhileItsForecastIsComputedScoresItWhenItIsMade() {
        SeriesAccuracy book = SeriesAccuracy.empty();
        book.drafted(D1.plusDays(1));
        assertThat(book.actualArrived(D1.plusDays(1), 104, REF)).isEmpty();
        book.drafted(D1.plusDays(2));
        assertThat(book.actuals()).hasSize(1);

        Optional<SeriesAccuracy.Scored> scored = book.forecastMade("v1", D1.plusDays(1), 103, 100, D1.plusDays(1));

        assertThat(scored).get().extracting(s -> s.error().absError()).isEqualTo(1.0);
        assertThat(book.actuals()).isEmpty();
        assertThat(book.outstanding()).containsExactly(D1.plusDays(2));
    }

    @Test
    void aForecastWhoseDayTheSeriesSkippedIsNeverScoredAndNotKept() {
        SeriesAccuracy book = SeriesAccuracy.empty();
        book.forecastMade("v1", D1.plusDays(1), 110, 100, D1);
        assertThat(book.actualArrived(D1.plusDays(3), 104, REF)).isEmpty();
        assertThat(book.awaiting()).isEmpty();

        book.drafted(D1.plusDays(4));
        assertThat(book.forecastMade("v1", D1.plusDays(4), 110, 100, D1.plusDays(5))).as("the series is past day 4").isEmpty();
        assertThat(book.isEmpty()).isTrue();
    }

    @Test
    void aLostForecastDropsTheActualKeptForIt() {
        SeriesAccuracy book = SeriesAccuracy.empty();
        book.drafted(D1.plusDays(1));
        book.actualArrived(D1.plusDays(1), 104, null);
        book.forecastLost(D1.plusDays(1));
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

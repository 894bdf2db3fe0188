package io.pricecast.model.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.model.bundle.KerasImport;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.features.DailyPrice;
import io.pricecast.model.features.FeatureSpec;
import io.pricecast.model.features.SeriesState;
import io.pricecast.model.network.PlainJavaBiGru;
import io.pricecast.model.scaler.SymbolScaler;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ForecasterTest {

    private static Forecaster forecaster;

    @BeforeAll
    static void load() throws IOException {
        ModelBundle bundle = KerasImport.firstBundle();
        forecaster = new Forecaster(bundle, new PlainJavaBiGru(bundle.weights()));
    }

    private static List<DailyPrice> rows(int count) {
        List<DailyPrice> rows = new ArrayList<>();
        LocalDate day = LocalDate.of(2014, 1, 1);
        for (int i = 0; i < count; i++) {
            double open = 100 + i;
            // a gap of two days after the third row
            rows.add(new DailyPrice(
                    day.plusDays(i < 3 ? i : i + 2), open, open + 3, open - 2, open + 1, 1e6, open * 1.2e7));
        }
        return rows;
    }

    @Test
    void predictionIsTodaysOpenPlusTheUnscaledVelocity() {
        SymbolScaler scaler = forecaster.bundle().scalers().forSymbol("BTC").orElseThrow();

        double predicted = Forecaster.nextOpen(100.0, 0.5f, scaler);

        assertThat(predicted)
                .isEqualTo(100.0 + 0.5 * scaler.scale(FeatureSpec.V_OPEN) + scaler.mean(FeatureSpec.V_OPEN));
    }

    @Test
    void targetDateIsTheNextRowsDateAndTheNewestRowForecastsTheNextCalendarDay() {
        List<DailyPrice> rows = rows(6);

        List<Forecast> forecasts = ((SeriesForecast.Forecasts) forecaster.forecast("LTC", rows)).forecasts();

        assertThat(forecasts).hasSize(6);
        assertThat(forecasts.get(2).targetDate()).isEqualTo(rows.get(3).date()); // across the gap
        assertThat(forecasts.get(2).actualOpen()).hasValue(rows.get(3).open());
        assertThat(forecasts.get(5).targetDate()).isEqualTo(rows.get(5).date().plusDays(1));
        assertThat(forecasts.get(5).actualOpen()).isEmpty();
    }

    @Test
    void unknownSymbolIsReportedWithItsRowCount() {
        assertThat(forecaster.forecast("DOGE", rows(4))).isEqualTo(new SeriesForecast.UnknownSymbol("DOGE", 4));
        assertThat(forecaster.next("DOGE", SeriesState.empty(), rows(1).get(0))).isEmpty();
    }

    @Test
    void streamingStepsGiveTheSamePredictionsAsTheBatchForecast() {
        List<DailyPrice> rows = rows(9);
        List<Forecast> batch = ((SeriesForecast.Forecasts) forecaster.forecast("XRP", rows)).forecasts();

        SeriesState state = SeriesState.empty();
        for (int i = 0; i < rows.size(); i++) {
            Forecaster.Step step = forecaster.next("XRP", state, rows.get(i)).orElseThrow();
            state = step.state();
            assertThat(step.forecast().predictedOpen())
                    .as("row %d", i)
                    .isEqualTo(batch.get(i).predictedOpen());
        }
    }
}

package io.pricecast.model.features;

import static io.pricecast.model.features.FeatureSpec.CLOSE_RATIO;
import static io.pricecast.model.features.FeatureSpec.FEATURE_COUNT;
import static io.pricecast.model.features.FeatureSpec.LOG_SHARES_INDEX;
import static io.pricecast.model.features.FeatureSpec.OPEN;
import static io.pricecast.model.features.FeatureSpec.SCALED_COLUMNS;
import static io.pricecast.model.features.FeatureSpec.SCALED_COUNT;
import static io.pricecast.model.features.FeatureSpec.SPREAD;
import static io.pricecast.model.features.FeatureSpec.V_OPEN;
import static io.pricecast.model.features.FeatureSpec.WINDOW_LENGTH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pricecast.model.scaler.ScalerSet;
import io.pricecast.model.scaler.SymbolScaler;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeaturesTest {

    private static final double EXACT = 1e-12;
    private static final LocalDate DAY = LocalDate.of(2020, 1, 1);

    private static DailyPrice row(LocalDate date, double open, double high, double low, double close, double market) {
        return new DailyPrice(date, open, high, low, close, 0.0, market);
    }

    private static SymbolScaler identity() {
        double[] zeros = new double[SCALED_COUNT];
        double[] ones = new double[SCALED_COUNT];
        Arrays.fill(ones, 1.0);
        return ScalerSet.builder(SCALED_COLUMNS)
                .put("T", zeros, ones)
                .build()
                .forSymbol("T")
                .orElseThrow();
    }

    @Test
    void firstRowHasZeroVelocitiesAndComputedRatioSpreadAndLogShares() {
        // close_ratio = (105 - 100) / (110 - 100) = 0.5; spread = 10; log(ceil(2100 / 105)) = log(20)
        double[] f = RawFeatures.of(null, row(DAY, 101, 110, 100, 105, 2100));

        assertThat(f).hasSize(FEATURE_COUNT);
        assertThat(Arrays.copyOfRange(f, 0, 6)).containsExactly(101, 110, 100, 105, 0.5, 10);
        assertThat(Arrays.copyOfRange(f, 6, 12)).containsOnly(0.0);
        assertThat(f[LOG_SHARES_INDEX]).isCloseTo(Math.log(20), within(EXACT));
    }

    @Test
    void velocitiesAreFirstDifferencesAgainstThePreviousRow() {
        DailyPrice first = row(DAY, 101, 110, 100, 105, 2100);
        DailyPrice second = row(DAY.plusDays(1), 104, 120, 102, 111, 2220);

        double[] f = RawFeatures.of(first, second);

        // close_ratio: (111-102)/18 = 0.5 -> v = 0; spread 18 -> v = 8
        assertThat(Arrays.copyOfRange(f, 6, 12)).containsExactly(3, 10, 2, 6, 0, 8);
        assertThat(f[LOG_SHARES_INDEX]).isCloseTo(Math.log(20), within(EXACT));
    }

    @Test
    void highEqualToLowGivesZeroCloseRatioAndSpread() {
        double[] f = RawFeatures.of(null, row(DAY, 106.75, 106.75, 106.75, 106.75, 1_229_100_000));

        assertThat(f[CLOSE_RATIO]).isZero();
        assertThat(f[SPREAD]).isZero();
    }

    @Test
    void zeroMarketCapGivesZeroLogShares() {
        assertThat(RawFeatures.of(null, row(DAY, 1, 2, 1, 1.5, 0))[LOG_SHARES_INDEX])
                .isZero();
    }

    @Test
    void logSharesRoundsTheShareCountUp() {
        // 1000 / 3 = 333.33 -> ceil 334
        assertThat(RawFeatures.logShares(row(DAY, 3, 3, 3, 3, 1000))).isCloseTo(Math.log(334), within(EXACT));
    }

    @Test
    void aGapInDatesStillDiffersAgainstThePreviousRow() {
        DailyPrice before = row(DAY, 10, 12, 9, 11, 0);
        DailyPrice afterGap = row(DAY.plusDays(10), 15, 16, 14, 15, 0);

        assertThat(RawFeatures.of(before, afterGap)[V_OPEN]).isEqualTo(5.0);
    }

    @Test
    void scalingAppliesTheSymbolScalerToVelocitiesOfTheFirstRowToo() {
        double[] means = new double[SCALED_COUNT];
        double[] scales = new double[SCALED_COUNT];
        Arrays.fill(scales, 2.0);
        means[OPEN] = 1.0;
        means[V_OPEN] = 0.5;
        SymbolScaler scaler = ScalerSet.builder(SCALED_COLUMNS)
                .put("S", means, scales)
                .build()
                .forSymbol("S")
                .orElseThrow();

        float[][] window =
                SeriesState.empty().next(row(DAY, 5, 6, 4, 5, 0), scaler).window();

        float[] last = window[WINDOW_LENGTH - 1];
        assertThat(last[OPEN]).isEqualTo(2.0f); // (5 - 1) / 2
        assertThat(last[V_OPEN]).isEqualTo(-0.25f); // (0 - 0.5) / 2
        assertThat(last[LOG_SHARES_INDEX]).isZero(); // not scaled
    }

    @Test
    void windowIsZeroPaddedAtTheFrontUntilFiveRowsExist() {
        SeriesState state = SeriesState.empty();
        for (int i = 0; i < 2; i++) {
            state = state.next(row(DAY.plusDays(i), 1 + i, 2 + i, 1 + i, 1.5 + i, 0), identity())
                    .state();
        }

        float[][] window = state.window();

        assertThat(window[0]).containsOnly(0f);
        assertThat(window[2]).containsOnly(0f);
        assertThat(window[3][OPEN]).isEqualTo(1f);
        assertThat(window[4][OPEN]).isEqualTo(2f);
    }

    @Test
    void windowKeepsOnlyTheLastFiveRows() {
        SeriesState state = SeriesState.empty();
        for (int i = 0; i < 8; i++) {
            state = state.next(row(DAY.plusDays(i), 1 + i, 2 + i, 1 + i, 1.5 + i, 0), identity())
                    .state();
        }

        float[][] window = state.window();

        assertThat(state.recentRows()).hasSize(WINDOW_LENGTH);
        assertThat(window[0][OPEN]).isEqualTo(4f);
        assertThat(window[4][OPEN]).isEqualTo(8f);
    }

    @Test
    void batchFormEqualsTheIncrementalForm() {
        List<DailyPrice> rows = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            rows.add(row(DAY.plusDays(i * 2L), 10 + i * i, 12 + i * i, 9 + i, 11 + i, 1000 * i));
        }

        float[] batch = Features.windows(rows, identity());

        SeriesState state = SeriesState.empty();
        for (int i = 0; i < rows.size(); i++) {
            SeriesState.Step step = state.next(rows.get(i), identity());
            state = step.state();
            for (int t = 0; t < WINDOW_LENGTH; t++) {
                assertThat(Arrays.copyOfRange(
                                batch,
                                i * Features.WINDOW_SIZE + t * FEATURE_COUNT,
                                i * Features.WINDOW_SIZE + (t + 1) * FEATURE_COUNT))
                        .containsExactly(step.window()[t]);
            }
        }
    }

    @Test
    void stateRebuiltFromItsPartsContinuesIdentically() {
        SeriesState state = SeriesState.empty();
        for (int i = 0; i < 3; i++) {
            state = state.next(row(DAY.plusDays(i), 1 + i, 2 + i, 1 + i, 1.5 + i, 0), identity())
                    .state();
        }
        SeriesState rebuilt = SeriesState.of(state.previous(), state.recentRows());
        DailyPrice next = row(DAY.plusDays(3), 7, 8, 6, 7.5, 0);

        assertThat(rebuilt.next(next, identity()).window())
                .isDeepEqualTo(state.next(next, identity()).window());
    }

    @Test
    void rejectsARowThatDoesNotFollowThePreviousDate() {
        SeriesState state =
                SeriesState.empty().next(row(DAY, 1, 1, 1, 1, 0), identity()).state();

        assertThatThrownBy(() -> state.next(row(DAY, 2, 2, 2, 2, 0), identity()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not follow");
    }
}

package io.pricecast.sink.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.model.accuracy.RollingAccuracy;
import io.pricecast.schemas.AccuracyWindows;
import org.junit.jupiter.api.Test;

/** The windows the sink names in {@code /accuracy} are the ones scoring computes the figures over. */
class AccuracyWindowsTest {

    @Test
    void theRecordsWindowsAreTheModelLibrarys() {
        assertThat(AccuracyWindows.SHORT_DAYS).isEqualTo(RollingAccuracy.SHORT_DAYS);
        assertThat(AccuracyWindows.LONG_DAYS).isEqualTo(RollingAccuracy.LONG_DAYS);
    }
}

package io.pricecast.model.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.model.features.Features;
import org.junit.jupiter.api.Test;

class RoutedForwardPassTest {

    private static ForwardPass constant(float value) {
        return (windows, batch) -> {
            float[] out = new float[batch];
            java.util.Arrays.fill(out, value);
            return out;
        };
    }

    @Test
    void sendsBatchesBelowTheThresholdToTheSmallPassAndTheRestToTheLargeOne() throws Exception {
        try (RoutedForwardPass routed = new RoutedForwardPass(constant(1f), constant(2f), 4)) {
            assertThat(routed.predict(new float[3 * Features.WINDOW_SIZE], 3)).containsOnly(1f);
            assertThat(routed.predict(new float[4 * Features.WINDOW_SIZE], 4)).containsOnly(2f);
        }
    }
}

package io.pricecast.model.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pricecast.model.ParityResources;
import io.pricecast.model.features.Features;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DjlBiGruTest {

    private static final float GOLDEN_TOLERANCE = 1e-4f;
    private static final float CROSS_CHECK_TOLERANCE = 1e-5f;
    private static final long SEED = 42;

    private static BiGruWeights weights;
    private static DjlBiGru djl;

    @BeforeAll
    static void loadOnce() {
        weights = ParityResources.originalWeights();
        djl = new DjlBiGru(weights, new DjlSettings(1, 1));
    }

    @AfterAll
    static void close() {
        djl.close();
    }

    @Test
    void reproducesEveryKerasGoldenOutputWithinTolerance() {
        ParityResources.Golden golden = ParityResources.golden();

        float[] outputs = djl.predict(golden.inputs());

        assertThat(outputs).hasSameSizeAs(golden.outputs());
        for (int i = 0; i < outputs.length; i++) {
            assertThat(outputs[i]).as("golden output %d", i).isCloseTo(golden.outputs()[i], within(GOLDEN_TOLERANCE));
        }
    }

    @Test
    void agreesWithThePlainJavaForwardOnRandomWindowsAtSeveralBatchSizes() {
        PlainJavaBiGru plain = new PlainJavaBiGru(weights);
        Random random = new Random(SEED);
        for (int batch : new int[] {1, 7, 300}) {
            float[] windows = new float[batch * Features.WINDOW_SIZE];
            for (int i = 0; i < windows.length; i++) {
                windows[i] = (float) (random.nextGaussian() * 2);
            }

            float[] expected = plain.predict(windows, batch);
            float[] actual = djl.predict(windows, batch);

            for (int b = 0; b < batch; b++) {
                assertThat(actual[b])
                        .as("batch %d window %d", batch, b)
                        .isCloseTo(expected[b], within(CROSS_CHECK_TOLERANCE));
            }
        }
    }

    @Test
    void emptyBatchGivesNoOutputs() {
        assertThat(djl.predict(new float[0], 0)).isEmpty();
    }
}

package io.pricecast.model.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pricecast.model.ParityResources;
import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.features.Features;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlainJavaBiGruTest {

    private static final float GOLDEN_TOLERANCE = 1e-4f;

    @Test
    void reproducesEveryKerasGoldenOutputWithinTolerance() {
        ParityResources.Golden golden = ParityResources.golden();
        assertThat(golden.inputs().length).isEqualTo(64);

        float[] outputs = new PlainJavaBiGru(ParityResources.originalWeights()).predict(golden.inputs());

        assertThat(outputs).hasSameSizeAs(golden.outputs());
        for (int i = 0; i < outputs.length; i++) {
            assertThat(outputs[i]).as("golden output %d", i).isCloseTo(golden.outputs()[i], within(GOLDEN_TOLERANCE));
        }
    }

    /**
     * The exact float bits the textbook loop (one weight row at a time) gave for eight fixed windows of the committed
     * bundle: a change of the arithmetic's order would change forecasts already stored, which auditors reproduce.
     */
    @Test
    void givesTheSameBitsAsTheTextbookLoop() throws IOException {
        int[] pinned = {0xbe9a57cb, 0x3f7abb59, 0x3fb5de2a, 0x3c803200, 0x3fd740e8, 0x3ed49065, 0xbb9f4ee0, 0x3f334de6};
        Random random = new Random(42);
        float[] windows = new float[Features.WINDOW_SIZE * pinned.length];
        for (int i = 0; i < windows.length; i++) {
            windows[i] = (float) (random.nextGaussian() * 1.5);
        }
        ModelBundle bundle = ModelBundle.read(ParityResources.path(ParityResources.COMMITTED_BUNDLE));

        float[] outputs = new PlainJavaBiGru(bundle.weights()).predict(windows, pinned.length);

        for (int i = 0; i < pinned.length; i++) {
            assertThat(Float.floatToRawIntBits(outputs[i]))
                    .as("window %d: %s", i, outputs[i])
                    .isEqualTo(pinned[i]);
        }
    }

    @Test
    void hardSigmoidIsKerasClippedLine() {
        assertThat(PlainJavaBiGru.hardSigmoid(0f)).isEqualTo(0.5f);
        assertThat(PlainJavaBiGru.hardSigmoid(1f)).isCloseTo(0.7f, within(1e-7f));
        assertThat(PlainJavaBiGru.hardSigmoid(3f)).isEqualTo(1f);
        assertThat(PlainJavaBiGru.hardSigmoid(-2.6f)).isEqualTo(0f);
    }
}

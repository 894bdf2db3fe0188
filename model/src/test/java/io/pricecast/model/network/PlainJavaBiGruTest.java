package io.pricecast.model.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pricecast.model.ParityResources;
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

    @Test
    void hardSigmoidIsKerasClippedLine() {
        assertThat(PlainJavaBiGru.hardSigmoid(0f)).isEqualTo(0.5f);
        assertThat(PlainJavaBiGru.hardSigmoid(1f)).isCloseTo(0.7f, within(1e-7f));
        assertThat(PlainJavaBiGru.hardSigmoid(3f)).isEqualTo(1f);
        assertThat(PlainJavaBiGru.hardSigmoid(-2.6f)).isEqualTo(0f);
    }
}

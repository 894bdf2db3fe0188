package io.pricecast.model.network;

import static io.pricecast.model.network.BiGruWeights.DENSE_1;
import static io.pricecast.model.network.BiGruWeights.DENSE_2;
import static io.pricecast.model.network.BiGruWeights.GATES;
import static io.pricecast.model.network.BiGruWeights.INPUTS;
import static io.pricecast.model.network.BiGruWeights.MERGED;
import static io.pricecast.model.network.BiGruWeights.TIME_STEPS;
import static io.pricecast.model.network.BiGruWeights.UNITS;

import io.pricecast.model.features.Features;

/**
 * A straightforward scalar Java forward pass of the network, one window at a time, in float32.
 * The reference that cross-checks {@link DjlBiGru} and the floor of the benchmark.
 */
public final class PlainJavaBiGru implements ForwardPass {

    private static final int GATE_WIDTH = GATES * UNITS;

    private final float[][] kernels = new float[2][];
    private final float[][] recurrentKernels = new float[2][];
    private final float[][] biases = new float[2][];
    private final float[] batchNormScale;
    private final float[] batchNormShift;
    private final float[] dense1Kernel;
    private final float[] dense1Bias;
    private final float[] dense2Kernel;
    private final float[] dense2Bias;
    private final float[] dense3Kernel;
    private final float dense3Bias;

    public PlainJavaBiGru(BiGruWeights weights) {
        String[] directions = {BiGruWeights.FORWARD, BiGruWeights.BACKWARD};
        for (int d = 0; d < 2; d++) {
            kernels[d] = weights.values(directions[d] + "/kernel");
            recurrentKernels[d] = weights.values(directions[d] + "/recurrent_kernel");
            biases[d] = weights.values(directions[d] + "/bias");
        }
        float[][] batchNorm = weights.batchNormScaleAndShift();
        batchNormScale = batchNorm[0];
        batchNormShift = batchNorm[1];
        dense1Kernel = weights.values("dense_1/kernel");
        dense1Bias = weights.values("dense_1/bias");
        dense2Kernel = weights.values("dense_2/kernel");
        dense2Bias = weights.values("dense_2/bias");
        dense3Kernel = weights.values("dense_3/kernel");
        dense3Bias = weights.values("dense_3/bias")[0];
    }

    @Override
    public float[] predict(float[] windows, int batchSize) {
        ForwardPass.requireBatch(windows, batchSize);
        float[] out = new float[batchSize];
        float[] merged = new float[MERGED];
        float[] h = new float[UNITS];
        float[] projected = new float[GATE_WIDTH];
        float[] gated = new float[GATE_WIDTH];
        float[] resetHidden = new float[UNITS];
        for (int b = 0; b < batchSize; b++) {
            int base = b * Features.WINDOW_SIZE;
            for (int d = 0; d < 2; d++) {
                java.util.Arrays.fill(h, 0f);
                for (int s = 0; s < TIME_STEPS; s++) {
                    int t = d == 0 ? s : TIME_STEPS - 1 - s;
                    gruStep(d, windows, base + t * INPUTS, h, projected, gated, resetHidden);
                }
                System.arraycopy(h, 0, merged, d * UNITS, UNITS);
            }
            out[b] = head(merged);
        }
        return out;
    }

    /** One Keras GRU step (reset_after=False): z, r = hard_sigmoid(...); hh = tanh(x_h + (r*h)U_h); h = z*h + (1-z)*hh. */
    private void gruStep(int d, float[] x, int offset, float[] h, float[] projected, float[] gated, float[] resetHidden) {
        float[] kernel = kernels[d];
        float[] recurrent = recurrentKernels[d];
        System.arraycopy(biases[d], 0, projected, 0, GATE_WIDTH);
        for (int i = 0; i < INPUTS; i++) {
            float xi = x[offset + i];
            int row = i * GATE_WIDTH;
            for (int j = 0; j < GATE_WIDTH; j++) {
                projected[j] += xi * kernel[row + j];
            }
        }
        java.util.Arrays.fill(gated, 0, 2 * UNITS, 0f);
        for (int k = 0; k < UNITS; k++) {
            float hk = h[k];
            int row = k * GATE_WIDTH;
            for (int j = 0; j < 2 * UNITS; j++) {
                gated[j] += hk * recurrent[row + j];
            }
        }
        for (int j = 0; j < 2 * UNITS; j++) {
            gated[j] = hardSigmoid(projected[j] + gated[j]);
        }
        for (int k = 0; k < UNITS; k++) {
            resetHidden[k] = gated[UNITS + k] * h[k];
        }
        System.arraycopy(projected, 2 * UNITS, gated, 2 * UNITS, UNITS);
        for (int k = 0; k < UNITS; k++) {
            float rk = resetHidden[k];
            int row = k * GATE_WIDTH + 2 * UNITS;
            for (int j = 0; j < UNITS; j++) {
                gated[2 * UNITS + j] += rk * recurrent[row + j];
            }
        }
        for (int j = 0; j < UNITS; j++) {
            float candidate = (float) Math.tanh(gated[2 * UNITS + j]);
            float z = gated[j];
            h[j] = z * h[j] + (1f - z) * candidate;
        }
    }

    private float head(float[] merged) {
        float[] normalised = new float[MERGED];
        for (int i = 0; i < MERGED; i++) {
            normalised[i] = merged[i] * batchNormScale[i] + batchNormShift[i];
        }
        float[] hidden1 = dense(normalised, dense1Kernel, dense1Bias, DENSE_1);
        for (int i = 0; i < DENSE_1; i++) {
            hidden1[i] = (float) Math.tanh(hidden1[i]);
        }
        float[] hidden2 = dense(hidden1, dense2Kernel, dense2Bias, DENSE_2);
        float out = dense3Bias;
        for (int i = 0; i < DENSE_2; i++) {
            out += Math.max(hidden2[i], 0f) * dense3Kernel[i];
        }
        return out;
    }

    private static float[] dense(float[] input, float[] kernel, float[] bias, int units) {
        float[] out = bias.clone();
        for (int i = 0; i < input.length; i++) {
            float xi = input[i];
            for (int j = 0; j < units; j++) {
                out[j] += xi * kernel[i * units + j];
            }
        }
        return out;
    }

    /** Keras 2.2.4's {@code hard_sigmoid}: {@code clip(0.2 x + 0.5, 0, 1)}. */
    static float hardSigmoid(float x) {
        return Math.min(1f, Math.max(0f, 0.2f * x + 0.5f));
    }
}

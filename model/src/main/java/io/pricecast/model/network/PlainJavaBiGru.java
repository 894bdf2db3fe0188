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
 *
 * <p>Every weight matrix is kept as one array per input row, so that each step is a sequence of
 * {@code y[j] += x * row[j]} loops over whole arrays: the JIT compiler turns those into SIMD instructions,
 * which it does not do for a loop that reads {@code matrix[offset + j]} (it cannot prove the arrays apart).
 * Each output element still sums its terms in the same order, with a separate multiply and add, so the
 * numbers are those of the textbook loop bit for bit ({@code PlainJavaBiGruTest} pins them).
 */
public final class PlainJavaBiGru implements ForwardPass {

    private static final int GATE_WIDTH = GATES * UNITS;
    private static final int UPDATE_AND_RESET = 2 * UNITS;

    /** [direction][input] → the input's row of the update, reset and candidate kernels. */
    private final float[][][] kernelRows = new float[2][][];
    /** [direction][unit] → the unit's row of the recurrent update and reset kernels. */
    private final float[][][] recurrentGateRows = new float[2][][];
    /** [direction][unit] → the unit's row of the recurrent candidate kernel. */
    private final float[][][] recurrentCandidateRows = new float[2][][];

    private final float[][] biases = new float[2][];
    private final float[] batchNormScale;
    private final float[] batchNormShift;
    private final float[][] dense1Rows;
    private final float[] dense1Bias;
    private final float[][] dense2Rows;
    private final float[] dense2Bias;
    private final float[] dense3Kernel;
    private final float dense3Bias;

    public PlainJavaBiGru(BiGruWeights weights) {
        String[] directions = {BiGruWeights.FORWARD, BiGruWeights.BACKWARD};
        for (int d = 0; d < 2; d++) {
            kernelRows[d] = rows(weights.values(directions[d] + "/kernel"), INPUTS, GATE_WIDTH, 0, GATE_WIDTH);
            float[] recurrent = weights.values(directions[d] + "/recurrent_kernel");
            recurrentGateRows[d] = rows(recurrent, UNITS, GATE_WIDTH, 0, UPDATE_AND_RESET);
            recurrentCandidateRows[d] = rows(recurrent, UNITS, GATE_WIDTH, UPDATE_AND_RESET, UNITS);
            biases[d] = weights.values(directions[d] + "/bias");
        }
        float[][] batchNorm = weights.batchNormScaleAndShift();
        batchNormScale = batchNorm[0];
        batchNormShift = batchNorm[1];
        dense1Rows = rows(weights.values("dense_1/kernel"), MERGED, DENSE_1, 0, DENSE_1);
        dense1Bias = weights.values("dense_1/bias");
        dense2Rows = rows(weights.values("dense_2/kernel"), DENSE_1, DENSE_2, 0, DENSE_2);
        dense2Bias = weights.values("dense_2/bias");
        dense3Kernel = weights.values("dense_3/kernel");
        dense3Bias = weights.values("dense_3/bias")[0];
    }

    /** Columns {@code [from, from + width)} of each row of a row-major {@code count × stride} matrix. */
    private static float[][] rows(float[] matrix, int count, int stride, int from, int width) {
        float[][] rows = new float[count][];
        for (int r = 0; r < count; r++) {
            rows[r] = java.util.Arrays.copyOfRange(matrix, r * stride + from, r * stride + from + width);
        }
        return rows;
    }

    @Override
    public float[] predict(float[] windows, int batchSize) {
        ForwardPass.requireBatch(windows, batchSize);
        float[] out = new float[batchSize];
        float[] merged = new float[MERGED];
        float[] h = new float[UNITS];
        float[] projected = new float[GATE_WIDTH];
        float[] gates = new float[UPDATE_AND_RESET];
        float[] candidate = new float[UNITS];
        float[] resetHidden = new float[UNITS];
        for (int b = 0; b < batchSize; b++) {
            int base = b * Features.WINDOW_SIZE;
            for (int d = 0; d < 2; d++) {
                java.util.Arrays.fill(h, 0f);
                for (int s = 0; s < TIME_STEPS; s++) {
                    int t = d == 0 ? s : TIME_STEPS - 1 - s;
                    gruStep(d, windows, base + t * INPUTS, h, projected, gates, candidate, resetHidden);
                }
                System.arraycopy(h, 0, merged, d * UNITS, UNITS);
            }
            out[b] = head(merged);
        }
        return out;
    }

    /** One Keras GRU step (reset_after=False): z, r = hard_sigmoid(...); hh = tanh(x_h + (r*h)U_h); h = z*h + (1-z)*hh. */
    private void gruStep(
            int d,
            float[] x,
            int offset,
            float[] h,
            float[] projected,
            float[] gates,
            float[] candidate,
            float[] resetHidden) {
        System.arraycopy(biases[d], 0, projected, 0, GATE_WIDTH);
        addScaledRows(projected, kernelRows[d], x, offset);
        java.util.Arrays.fill(gates, 0f);
        addScaledRows(gates, recurrentGateRows[d], h, 0);
        for (int j = 0; j < UPDATE_AND_RESET; j++) {
            gates[j] = hardSigmoid(projected[j] + gates[j]);
        }
        System.arraycopy(projected, UPDATE_AND_RESET, candidate, 0, UNITS);
        for (int k = 0; k < UNITS; k++) {
            resetHidden[k] = gates[UNITS + k] * h[k];
        }
        addScaledRows(candidate, recurrentCandidateRows[d], resetHidden, 0);
        for (int j = 0; j < UNITS; j++) {
            float hh = (float) ExactTanh.tanh(candidate[j]);
            float z = gates[j];
            h[j] = z * h[j] + (1f - z) * hh;
        }
    }

    /**
     * {@code y += Σ scales[i] * rows[i]} for {@code i} from 0 up, element by element, four rows per pass over
     * {@code y}: the same additions in the same order as one row at a time, with a quarter of the loads and stores.
     */
    private static void addScaledRows(float[] y, float[][] rows, float[] scales, int scalesFrom) {
        int i = 0;
        for (; i + 4 <= rows.length; i += 4) {
            float a = scales[scalesFrom + i];
            float b = scales[scalesFrom + i + 1];
            float c = scales[scalesFrom + i + 2];
            float e = scales[scalesFrom + i + 3];
            float[] ra = rows[i];
            float[] rb = rows[i + 1];
            float[] rc = rows[i + 2];
            float[] re = rows[i + 3];
            for (int j = 0; j < y.length; j++) {
                y[j] = y[j] + a * ra[j] + b * rb[j] + c * rc[j] + e * re[j];
            }
        }
        for (; i < rows.length; i++) {
            float a = scales[scalesFrom + i];
            float[] ra = rows[i];
            for (int j = 0; j < y.length; j++) {
                y[j] += a * ra[j];
            }
        }
    }

    private float head(float[] merged) {
        float[] normalised = new float[MERGED];
        for (int i = 0; i < MERGED; i++) {
            normalised[i] = merged[i] * batchNormScale[i] + batchNormShift[i];
        }
        float[] hidden1 = dense(normalised, dense1Rows, dense1Bias);
        for (int i = 0; i < DENSE_1; i++) {
            hidden1[i] = (float) ExactTanh.tanh(hidden1[i]);
        }
        float[] hidden2 = dense(hidden1, dense2Rows, dense2Bias);
        float out = dense3Bias;
        for (int i = 0; i < DENSE_2; i++) {
            out += Math.max(hidden2[i], 0f) * dense3Kernel[i];
        }
        return out;
    }

    private static float[] dense(float[] input, float[][] rows, float[] bias) {
        float[] out = bias.clone();
        addScaledRows(out, rows, input, 0);
        return out;
    }

    /** Keras 2.2.4's {@code hard_sigmoid}: {@code clip(0.2 x + 0.5, 0, 1)}. */
    static float hardSigmoid(float x) {
        return Math.min(1f, Math.max(0f, 0.2f * x + 0.5f));
    }
}

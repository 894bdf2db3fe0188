package io.pricecast.model.network;

import io.pricecast.model.features.FeatureSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of the forecasting network: Bidirectional GRU ({@value #UNITS} units, Keras 2.2.4 semantics,
 * {@code reset_after=False}, gates z, r, h) -> BatchNorm -> Dense(20, tanh) -> Dense(10, relu) -> Dense(1).
 * Names, shapes and order here are the canonical ones of the model bundle.
 */
public final class BiGruWeights {

    public static final int INPUTS = FeatureSpec.FEATURE_COUNT;
    public static final int TIME_STEPS = FeatureSpec.WINDOW_LENGTH;
    public static final int UNITS = 50;
    /** Three gates (z, r, h) side by side in the kernels, in that order. */
    public static final int GATES = 3;

    public static final int MERGED = 2 * UNITS;
    public static final int DENSE_1 = 20;
    public static final int DENSE_2 = 10;
    public static final int OUTPUTS = 1;
    /** Keras BatchNormalization epsilon of the original model. */
    public static final float BATCH_NORM_EPSILON = 1e-3f;

    public static final String FORWARD = "forward_gru";
    public static final String BACKWARD = "backward_gru";

    /** Canonical names and shapes, in bundle order. */
    public static final Map<String, int[]> SHAPES = shapes();

    private final Map<String, Tensor> tensors;

    private BiGruWeights(Map<String, Tensor> tensors) {
        this.tensors = tensors;
    }

    private static Map<String, int[]> shapes() {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (String direction : List.of(FORWARD, BACKWARD)) {
            shapes.put(direction + "/kernel", new int[] {INPUTS, GATES * UNITS});
            shapes.put(direction + "/recurrent_kernel", new int[] {UNITS, GATES * UNITS});
            shapes.put(direction + "/bias", new int[] {GATES * UNITS});
        }
        for (String name : List.of("gamma", "beta", "moving_mean", "moving_variance")) {
            shapes.put("batch_norm/" + name, new int[] {MERGED});
        }
        shapes.put("dense_1/kernel", new int[] {MERGED, DENSE_1});
        shapes.put("dense_1/bias", new int[] {DENSE_1});
        shapes.put("dense_2/kernel", new int[] {DENSE_1, DENSE_2});
        shapes.put("dense_2/bias", new int[] {DENSE_2});
        shapes.put("dense_3/kernel", new int[] {DENSE_2, OUTPUTS});
        shapes.put("dense_3/bias", new int[] {OUTPUTS});
        return java.util.Collections.unmodifiableMap(shapes);
    }

    /**
     * @throws IllegalArgumentException naming the first missing, unexpected or mis-shaped tensor
     */
    public static BiGruWeights of(List<Tensor> tensors) {
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (Tensor tensor : tensors) {
            if (!SHAPES.containsKey(tensor.name())) {
                throw new IllegalArgumentException(
                        "unexpected weight " + tensor.name() + "; expected " + SHAPES.keySet());
            }
            if (byName.put(tensor.name(), tensor) != null) {
                throw new IllegalArgumentException("weight " + tensor.name() + " given twice");
            }
        }
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> expected : SHAPES.entrySet()) {
            Tensor tensor = byName.get(expected.getKey());
            if (tensor == null) {
                throw new IllegalArgumentException("missing weight " + expected.getKey());
            }
            if (!Arrays.equals(tensor.shape(), expected.getValue())) {
                throw new IllegalArgumentException("weight " + expected.getKey() + " has shape "
                        + Arrays.toString(tensor.shape()) + ", expected " + Arrays.toString(expected.getValue()));
            }
            ordered.put(expected.getKey(), tensor);
        }
        return new BiGruWeights(ordered);
    }

    /** All tensors in canonical order. */
    public List<Tensor> tensors() {
        return new ArrayList<>(tensors.values());
    }

    /** A copy of the named tensor's values. */
    public float[] values(String name) {
        Tensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("no weight named " + name);
        }
        return tensor.values();
    }

    /** TensorFlow's inference batch norm as {@code x * scale + shift}: scale = gamma / sqrt(var + eps). */
    float[][] batchNormScaleAndShift() {
        float[] gamma = values("batch_norm/gamma");
        float[] beta = values("batch_norm/beta");
        float[] mean = values("batch_norm/moving_mean");
        float[] variance = values("batch_norm/moving_variance");
        float[] scale = new float[MERGED];
        float[] shift = new float[MERGED];
        for (int i = 0; i < MERGED; i++) {
            scale[i] = (float) (gamma[i] / Math.sqrt(variance[i] + BATCH_NORM_EPSILON));
            shift[i] = beta[i] - mean[i] * scale[i];
        }
        return new float[][] {scale, shift};
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BiGruWeights that && tensors.equals(that.tensors);
    }

    @Override
    public int hashCode() {
        return tensors.hashCode();
    }
}

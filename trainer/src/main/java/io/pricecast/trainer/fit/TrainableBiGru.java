package io.pricecast.trainer.fit;

import static io.pricecast.model.network.BiGruWeights.BATCH_NORM_EPSILON;
import static io.pricecast.model.network.BiGruWeights.INPUTS;
import static io.pricecast.model.network.BiGruWeights.MERGED;
import static io.pricecast.model.network.BiGruWeights.TIME_STEPS;
import static io.pricecast.model.network.BiGruWeights.UNITS;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.pricecast.model.network.BiGruWeights;
import io.pricecast.model.network.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The forecasting network as trainable DJL NDArrays, with the exact semantics of the model library's forward
 * passes (Keras 2.2.4 BiGRU, hard_sigmoid recurrent activation, {@code reset_after=False}, gates z, r, h;
 * BatchNorm; Dense 20 tanh, Dense 10 relu, Dense 1) so that {@link #toWeights()} scores identically in
 * {@code DjlBiGru} and {@code PlainJavaBiGru}.
 *
 * <p>Parameters are the canonical tensors of {@link BiGruWeights#SHAPES}, held in one manager. In training mode
 * BatchNorm normalises with the batch's statistics; {@link #calibrateBatchNorm} then sets the moving mean and
 * variance to the exact statistics over the training windows (instead of Keras' exponential average, which
 * depends on the batch order). Not thread-safe.
 */
public final class TrainableBiGru implements AutoCloseable {

    private static final float HARD_SIGMOID_SLOPE = 0.2f;
    private static final float HARD_SIGMOID_OFFSET = 0.5f;
    private static final String[] DIRECTIONS = {BiGruWeights.FORWARD, BiGruWeights.BACKWARD};
    private static final NDIndex GATE_COLUMNS = new NDIndex(":, :" + (2 * UNITS));
    private static final NDIndex CANDIDATE_COLUMNS = new NDIndex(":, " + (2 * UNITS) + ":");
    private static final NDIndex GATE_BIAS = new NDIndex(":" + (2 * UNITS));
    private static final NDIndex CANDIDATE_BIAS = new NDIndex((2 * UNITS) + ":");
    private static final NDIndex UPDATE = new NDIndex(":, :" + UNITS);
    private static final NDIndex RESET = new NDIndex(":, " + UNITS + ":");
    private static final NDIndex[] TIME_STEP = timeSteps();

    private final NDManager manager;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();

    private TrainableBiGru(NDManager manager) {
        this.manager = manager;
    }

    /**
     * A freshly initialised network: Glorot-uniform kernels, zero biases, BatchNorm gamma 1 / beta 0 /
     * mean 0 / variance 1, all drawn from one {@link SplittableRandom} seeded with {@code seed}.
     */
    public static TrainableBiGru initialised(NDManager parent, long seed) {
        TrainableBiGru net = new TrainableBiGru(parent.newSubManager());
        SplittableRandom random = new SplittableRandom(seed);
        for (Map.Entry<String, int[]> entry : BiGruWeights.SHAPES.entrySet()) {
            String name = entry.getKey();
            int[] shape = entry.getValue();
            float[] values = new float[product(shape)];
            if (name.endsWith("kernel")) {
                double limit = Math.sqrt(6.0 / (shape[0] + shape[1]));
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
                }
            } else if (name.endsWith("gamma") || name.endsWith("moving_variance")) {
                java.util.Arrays.fill(values, 1f);
            }
            net.put(name, shape, values);
        }
        return net;
    }

    /** A network starting from existing weights (for example to fine-tune, or to test the forward pass). */
    public static TrainableBiGru of(NDManager parent, BiGruWeights weights) {
        TrainableBiGru net = new TrainableBiGru(parent.newSubManager());
        for (Tensor tensor : weights.tensors()) {
            net.put(tensor.name(), tensor.shape(), tensor.values());
        }
        return net;
    }

    private static NDIndex[] timeSteps() {
        NDIndex[] steps = new NDIndex[TIME_STEPS];
        for (int t = 0; t < TIME_STEPS; t++) {
            steps[t] = new NDIndex(":, " + t + ", :");
        }
        return steps;
    }

    private void put(String name, int[] shape, float[] values) {
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = shape[i];
        }
        NDArray array = Adam.torchOwned(manager.create(values, new Shape(dims)));
        if (isTrained(name)) {
            array.setRequiresGradient(true);
        }
        parameters.put(name, array);
    }

    /** Whether gradient descent updates this tensor (the moving statistics are set by calibration). */
    static boolean isTrained(String name) {
        return !name.endsWith("moving_mean") && !name.endsWith("moving_variance");
    }

    /** The trained tensors, by canonical name, in canonical order. */
    public Map<String, NDArray> trainedParameters() {
        Map<String, NDArray> trained = new LinkedHashMap<>();
        parameters.forEach((name, array) -> {
            if (isTrained(name)) {
                trained.put(name, array);
            }
        });
        return trained;
    }

    /**
     * The network output for a batch of windows, {@code [B, 1]}.
     *
     * @param x        {@code [B, 5, 13]} scaled windows
     * @param training BatchNorm with the batch's statistics (true) or the moving statistics (false)
     */
    public NDArray forward(NDArray x, boolean training) {
        NDArray merged = encode(x);
        NDArray normalised;
        NDArray gamma = parameters.get("batch_norm/gamma");
        NDArray beta = parameters.get("batch_norm/beta");
        NDManager call = x.getManager();
        if (training) {
            NDArray mean = merged.mean(new int[] {0});
            NDArray centred = merged.sub(mean);
            NDArray variance = centred.square().mean(new int[] {0});
            normalised = centred.div(
                            variance.add(constant(call, BATCH_NORM_EPSILON)).sqrt())
                    .mul(gamma)
                    .add(beta);
        } else {
            NDArray mean = parameters.get("batch_norm/moving_mean");
            NDArray variance = parameters.get("batch_norm/moving_variance");
            NDArray deviation =
                    Adam.local(variance.add(BATCH_NORM_EPSILON), call).sqrt();
            normalised = merged.sub(mean).div(deviation).mul(gamma).add(beta);
        }
        NDArray hidden1 = dense(normalised, "dense_1").tanh();
        NDArray hidden2 = dense(hidden1, "dense_2").maximum(constant(call, 0f));
        return dense(hidden2, "dense_3");
    }

    /** The concatenated last hidden states of both directions, {@code [B, 100]} (the BatchNorm input). */
    NDArray encode(NDArray x) {
        NDManager call = x.getManager();
        NDArray slope = constant(call, HARD_SIGMOID_SLOPE);
        NDArray offset = constant(call, HARD_SIGMOID_OFFSET);
        NDList outputs = new NDList();
        for (String direction : DIRECTIONS) {
            boolean backward = direction.equals(BiGruWeights.BACKWARD);
            NDArray kernel = parameters.get(direction + "/kernel");
            NDArray recurrent = parameters.get(direction + "/recurrent_kernel");
            NDArray bias = parameters.get(direction + "/bias");
            NDArray kernelGates = Adam.local(kernel.get(GATE_COLUMNS), call);
            NDArray kernelCandidate = Adam.local(kernel.get(CANDIDATE_COLUMNS), call);
            NDArray recurrentGates = Adam.local(recurrent.get(GATE_COLUMNS), call);
            NDArray recurrentCandidate = Adam.local(recurrent.get(CANDIDATE_COLUMNS), call);
            NDArray biasGates = Adam.local(bias.get(GATE_BIAS), call);
            NDArray biasCandidate = Adam.local(bias.get(CANDIDATE_BIAS), call);
            NDArray h = call.zeros(new Shape(x.getShape().get(0), UNITS));
            for (int step = 0; step < TIME_STEPS; step++) {
                int t = backward ? TIME_STEPS - 1 - step : step;
                NDArray xt = x.get(TIME_STEP[t]);
                NDArray gates = xt.matMul(kernelGates)
                        .add(biasGates)
                        .add(h.matMul(recurrentGates))
                        .mul(slope)
                        .add(offset)
                        .clip(0, 1);
                NDArray update = gates.get(UPDATE);
                NDArray reset = gates.get(RESET);
                NDArray candidate = xt.matMul(kernelCandidate)
                        .add(biasCandidate)
                        .add(reset.mul(h).matMul(recurrentCandidate))
                        .tanh();
                h = candidate.add(update.mul(h.sub(candidate)));
            }
            outputs.add(h);
        }
        return NDArrays.concat(outputs, 1);
    }

    /**
     * A scalar operand for the autograd path. DJL's {@code mul(Number)}, {@code maximum(Number)} and the like wrap
     * the number in an array over a Java direct buffer and close it as soon as the op returns; autograd keeps the
     * operand for the backward pass, which then reads memory the JVM may already have freed and reused (seen as
     * gradients of 1e17 and training that diverged to NaN in about one run in ten). A copy PyTorch owns lives as
     * long as autograd holds it.
     */
    private static NDArray constant(NDManager call, float value) {
        return Adam.torchOwned(call.create(value));
    }

    private NDArray dense(NDArray in, String layer) {
        return in.matMul(parameters.get(layer + "/kernel")).add(parameters.get(layer + "/bias"));
    }

    /**
     * Sets the BatchNorm moving mean and variance to the population statistics of the encoder output over
     * {@code windows} (processed in chunks, summed in double precision in a fixed order).
     */
    public void calibrateBatchNorm(float[] windows, int count, int chunk) {
        double[] sum = new double[MERGED];
        double[] sumSquares = new double[MERGED];
        int window = TIME_STEPS * INPUTS;
        for (int start = 0; start < count; start += chunk) {
            int batch = Math.min(chunk, count - start);
            try (NDManager call = manager.newSubManager()) {
                float[] slice = java.util.Arrays.copyOfRange(windows, start * window, (start + batch) * window);
                float[] merged = encode(Adam.torchOwned(call.create(slice, new Shape(batch, TIME_STEPS, INPUTS))))
                        .toFloatArray();
                for (int i = 0; i < batch; i++) {
                    for (int c = 0; c < MERGED; c++) {
                        double v = merged[i * MERGED + c];
                        sum[c] += v;
                        sumSquares[c] += v * v;
                    }
                }
            }
        }
        float[] mean = new float[MERGED];
        float[] variance = new float[MERGED];
        for (int c = 0; c < MERGED; c++) {
            double m = sum[c] / count;
            mean[c] = (float) m;
            variance[c] = (float) Math.max(0.0, sumSquares[c] / count - m * m);
        }
        replace("batch_norm/moving_mean", mean);
        replace("batch_norm/moving_variance", variance);
    }

    private void replace(String name, float[] values) {
        NDArray old = parameters.get(name);
        NDArray fresh = Adam.torchOwned(manager.create(values, old.getShape()));
        parameters.put(name, fresh);
        old.close();
    }

    /** A copy of every tensor's current values, in canonical order. */
    public List<Tensor> snapshot() {
        List<Tensor> tensors = new ArrayList<>();
        for (Map.Entry<String, int[]> entry : BiGruWeights.SHAPES.entrySet()) {
            tensors.add(new Tensor(
                    entry.getKey(),
                    entry.getValue(),
                    parameters.get(entry.getKey()).toFloatArray()));
        }
        return tensors;
    }

    /** Overwrites every trained tensor with the values of {@code tensors} (for example the best epoch's). */
    public void restore(List<Tensor> tensors) {
        for (Tensor tensor : tensors) {
            NDArray target = parameters.get(tensor.name());
            if (isTrained(tensor.name())) {
                target.set(java.nio.FloatBuffer.wrap(tensor.values()));
            } else {
                replace(tensor.name(), tensor.values());
            }
        }
    }

    /** The current weights in the bundle's canonical form. */
    public BiGruWeights toWeights() {
        return BiGruWeights.of(snapshot());
    }

    static int product(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public void close() {
        manager.close();
    }
}

package io.pricecast.model.network;

import static io.pricecast.model.network.BiGruWeights.DENSE_1;
import static io.pricecast.model.network.BiGruWeights.DENSE_2;
import static io.pricecast.model.network.BiGruWeights.GATES;
import static io.pricecast.model.network.BiGruWeights.INPUTS;
import static io.pricecast.model.network.BiGruWeights.MERGED;
import static io.pricecast.model.network.BiGruWeights.OUTPUTS;
import static io.pricecast.model.network.BiGruWeights.TIME_STEPS;
import static io.pricecast.model.network.BiGruWeights.UNITS;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * The network's forward pass with DJL NDArray ops on the PyTorch engine (DJL's own GRU block implements
 * neither hard_sigmoid nor {@code reset_after=False}). Both directions run as one batched matmul per step:
 * the backward direction sees the time-reversed window. Weights live in one manager for the object's life;
 * every call works in its own sub-manager, closed before returning. Thread-safe; create one per process.
 */
public final class DjlBiGru implements ForwardPass, AutoCloseable {

    /** PyTorch's name in DJL's engine registry. */
    public static final String ENGINE = "PyTorch";

    private static final int DIRECTIONS = 2;
    private static final float HARD_SIGMOID_SLOPE = 0.2f;
    private static final float HARD_SIGMOID_OFFSET = 0.5f;

    private final NDManager weightsManager;
    private final NDArray kernels; // [2, 13, 150]
    private final NDArray biases; // [2, 1, 150]
    private final NDArray recurrentGates; // [2, 50, 100]  (z, r)
    private final NDArray recurrentCandidate; // [2, 50, 50]  (h)
    private final NDArray batchNormScale; // [100]
    private final NDArray batchNormShift; // [100]
    private final NDArray dense1Kernel;
    private final NDArray dense1Bias;
    private final NDArray dense2Kernel;
    private final NDArray dense2Bias;
    private final NDArray dense3Kernel;
    private final NDArray dense3Bias;
    private final NDIndex gatesSlice = new NDIndex("..., :" + (2 * UNITS));
    private final NDIndex candidateSlice = new NDIndex("..., " + (2 * UNITS) + ":");
    private final NDIndex updateSlice = new NDIndex("..., :" + UNITS);
    private final NDIndex resetSlice = new NDIndex("..., " + UNITS + ":");

    /** Starts (or reuses) the PyTorch engine with {@code settings} and uploads the weights. */
    public DjlBiGru(BiGruWeights weights, DjlSettings settings) {
        settings.apply();
        weightsManager = Engine.getEngine(ENGINE).newBaseManager();
        int gateWidth = GATES * UNITS;
        List<String> directions = List.of(BiGruWeights.FORWARD, BiGruWeights.BACKWARD);
        NDList kernelList = new NDList();
        NDList biasList = new NDList();
        NDList recurrentList = new NDList();
        for (String direction : directions) {
            kernelList.add(weightsManager.create(weights.values(direction + "/kernel"), new Shape(INPUTS, gateWidth)));
            biasList.add(weightsManager.create(weights.values(direction + "/bias"), new Shape(1, gateWidth)));
            recurrentList.add(weightsManager.create(
                    weights.values(direction + "/recurrent_kernel"), new Shape(UNITS, gateWidth)));
        }
        // hard_sigmoid(a) = clip(0.2 a + 0.5, 0, 1): fold the 0.2 and 0.5 into the z and r columns once,
        // so each step's gates are just clip(x W' + b' + h U', 0, 1)
        NDArray gateScale = perGateColumn(weightsManager, HARD_SIGMOID_SLOPE, 1f);
        NDArray gateOffset = perGateColumn(weightsManager, HARD_SIGMOID_OFFSET, 0f);
        kernels = NDArrays.stack(kernelList).mul(gateScale);
        biases = NDArrays.stack(biasList).mul(gateScale).add(gateOffset);
        NDArray recurrent = NDArrays.stack(recurrentList).mul(gateScale);
        recurrentGates = recurrent.get(gatesSlice);
        recurrentCandidate = recurrent.get(candidateSlice);
        float[][] batchNorm = weights.batchNormScaleAndShift();
        batchNormScale = weightsManager.create(batchNorm[0]);
        batchNormShift = weightsManager.create(batchNorm[1]);
        dense1Kernel = weightsManager.create(weights.values("dense_1/kernel"), new Shape(MERGED, DENSE_1));
        dense1Bias = weightsManager.create(weights.values("dense_1/bias"));
        dense2Kernel = weightsManager.create(weights.values("dense_2/kernel"), new Shape(DENSE_1, DENSE_2));
        dense2Bias = weightsManager.create(weights.values("dense_2/bias"));
        dense3Kernel = weightsManager.create(weights.values("dense_3/kernel"), new Shape(DENSE_2, OUTPUTS));
        dense3Bias = weightsManager.create(weights.values("dense_3/bias"));
    }

    @Override
    public float[] predict(float[] windows, int batchSize) {
        ForwardPass.requireBatch(windows, batchSize);
        if (batchSize == 0) {
            return new float[0];
        }
        try (NDManager call = weightsManager.newSubManager()) {
            NDArray x = call.create(windows, new Shape(batchSize, TIME_STEPS, INPUTS));
            // [2, B*T, 13] x [2, 13, 150] -> [T, 2, B, 150]; direction 1 sees the window reversed in time
            NDArray projected = NDArrays.stack(new NDList(x, x.flip(1)))
                    .reshape(DIRECTIONS, (long) batchSize * TIME_STEPS, INPUTS)
                    .matMul(kernels)
                    .add(biases)
                    .reshape(DIRECTIONS, batchSize, TIME_STEPS, (long) GATES * UNITS)
                    .transpose(2, 0, 1, 3);
            NDArray projectedGates = projected.get(gatesSlice);
            NDArray projectedCandidate = projected.get(candidateSlice);
            NDArray h = call.zeros(new Shape(DIRECTIONS, batchSize, UNITS));
            for (int t = 0; t < TIME_STEPS; t++) {
                NDArray gates =
                        projectedGates.get(t).add(h.matMul(recurrentGates)).clip(0, 1);
                NDArray update = gates.get(updateSlice);
                NDArray reset = gates.get(resetSlice);
                NDArray candidate = projectedCandidate
                        .get(t)
                        .add(reset.mul(h).matMul(recurrentCandidate))
                        .tanh();
                // z * h + (1 - z) * candidate
                h = candidate.add(update.mul(h.sub(candidate)));
            }
            NDArray merged = NDArrays.concat(new NDList(h.get(0), h.get(1)), 1); // [B, 100]
            NDArray normalised = merged.mul(batchNormScale).add(batchNormShift);
            NDArray hidden1 = normalised.matMul(dense1Kernel).add(dense1Bias).tanh();
            NDArray hidden2 = hidden1.matMul(dense2Kernel).add(dense2Bias).maximum(0f);
            NDArray out = hidden2.matMul(dense3Kernel).add(dense3Bias);
            return out.toFloatArray();
        }
    }

    /** A [1, 150] row: {@code gates} for the z and r columns, {@code candidate} for the h columns. */
    private static NDArray perGateColumn(NDManager manager, float gates, float candidate) {
        float[] row = new float[GATES * UNITS];
        java.util.Arrays.fill(row, 0, 2 * UNITS, gates);
        java.util.Arrays.fill(row, 2 * UNITS, GATES * UNITS, candidate);
        return manager.create(row, new Shape(1, GATES * UNITS));
    }

    @Override
    public void close() {
        weightsManager.close();
    }
}

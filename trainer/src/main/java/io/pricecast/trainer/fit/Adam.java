package io.pricecast.trainer.fit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba) in Keras 2.2.4's form: {@code lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)},
 * {@code p -= lr_t * m / (sqrt(v) + epsilon)}. Updates run in place, outside any gradient collector, and zero
 * the gradients afterwards (DJL's PyTorch collector accumulates them). State lives in its own manager.
 */
final class Adam implements AutoCloseable {

    static final float BETA_1 = 0.9f;
    static final float BETA_2 = 0.999f;
    static final float EPSILON = 1e-7f;

    private final float learningRate;
    private final NDManager state;
    private final Map<String, NDArray[]> moments = new HashMap<>();
    private long steps;

    Adam(NDManager parent, float learningRate) {
        this.learningRate = learningRate;
        this.state = parent.newSubManager();
    }

    /** One update of every parameter from its gradient; temporaries are attached to {@code step}. */
    void update(Map<String, NDArray> parameters, NDManager step) {
        steps++;
        float lrT = (float) (learningRate * Math.sqrt(1 - Math.pow(BETA_2, steps)) / (1 - Math.pow(BETA_1, steps)));
        for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
            NDArray parameter = entry.getValue();
            NDArray gradient = local(parameter.getGradient(), step);
            NDArray[] mv = moments.computeIfAbsent(entry.getKey(), k ->
                    new NDArray[] {state.zeros(parameter.getShape()), state.zeros(parameter.getShape())});
            mv[0].muli(BETA_1).addi(gradient.mul(1 - BETA_1));
            mv[1].muli(BETA_2).addi(gradient.square().mul(1 - BETA_2));
            NDArray denominator = local(mv[1].sqrt(), step).addi(EPSILON);
            NDArray delta = local(mv[0].mul(lrT), step).divi(denominator);
            parameter.subi(delta);
            gradient.subi(gradient);
        }
    }

    /**
     * A copy in memory PyTorch allocated itself (64-byte aligned), closing the original. Arrays created from Java
     * buffers may wrap memory of whatever alignment the JVM gave it, and some CPU kernels round differently
     * depending on alignment: copying every array that enters the computation keeps the arithmetic identical
     * from run to run.
     */
    static NDArray torchOwned(NDArray created) {
        NDArray copy = created.duplicate();
        created.close();
        return copy;
    }

    /** Moves an array made from a long-lived operand into the step's manager, so it is freed with the step. */
    static NDArray local(NDArray array, NDManager step) {
        array.attach(step);
        return array;
    }

    @Override
    public void close() {
        state.close();
    }
}

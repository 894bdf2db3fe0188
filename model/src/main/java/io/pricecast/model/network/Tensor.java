package io.pricecast.model.network;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named float32 tensor in row-major order.
 *
 * @param name   canonical weight name (see {@link BiGruWeights})
 * @param shape  dimensions
 * @param values {@code product(shape)} values, row-major
 */
public record Tensor(String name, int[] shape, float[] values) {

    public Tensor {
        Objects.requireNonNull(name, "name");
        shape = shape.clone();
        values = values.clone();
        long expected = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(
                        "tensor " + name + ": non-positive dimension in " + Arrays.toString(shape));
            }
            expected *= d;
        }
        if (expected != values.length) {
            throw new IllegalArgumentException("tensor " + name + " of shape " + Arrays.toString(shape) + " needs "
                    + expected + " values, got " + values.length);
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tensor that
                && name.equals(that.name)
                && Arrays.equals(shape, that.shape)
                && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + Arrays.toString(shape) + "]";
    }
}

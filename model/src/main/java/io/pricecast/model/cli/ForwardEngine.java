package io.pricecast.model.cli;

import io.pricecast.model.network.BiGruWeights;
import io.pricecast.model.network.DjlBiGru;
import io.pricecast.model.network.DjlSettings;
import io.pricecast.model.network.ForwardPass;
import io.pricecast.model.network.PlainJavaBiGru;

/** Which forward pass a command uses. */
public enum ForwardEngine {
    /** DJL on PyTorch (default; fastest for large batches). */
    djl,
    /** The plain-Java reference implementation (no native library). */
    java;

    /** Creates the forward pass; the caller closes it when it is {@link AutoCloseable}. */
    public ForwardPass create(BiGruWeights weights, DjlSettings settings) {
        return this == djl ? new DjlBiGru(weights, settings) : new PlainJavaBiGru(weights);
    }
}

package io.pricecast.scorefile.cli;

import io.pricecast.model.network.BiGruWeights;
import io.pricecast.model.network.DjlBiGru;
import io.pricecast.model.network.DjlSettings;
import io.pricecast.model.network.ForwardPass;
import io.pricecast.model.network.PlainJavaBiGru;
import io.pricecast.model.network.RoutedForwardPass;

/** Which forward pass a command uses. */
public enum ForwardEngine {
    /** Plain Java below {@link RoutedForwardPass#DEFAULT_THRESHOLD} windows, DJL above (default). */
    auto,
    /** DJL on PyTorch (fastest for large batches). */
    djl,
    /** The plain-Java reference implementation (no native library). */
    java;

    /** Creates the forward pass; the caller closes it when it is {@link AutoCloseable}. */
    public ForwardPass create(BiGruWeights weights, DjlSettings settings) {
        return switch (this) {
            case auto ->
                new RoutedForwardPass(
                        new PlainJavaBiGru(weights),
                        new DjlBiGru(weights, settings),
                        RoutedForwardPass.DEFAULT_THRESHOLD);
            case djl -> new DjlBiGru(weights, settings);
            case java -> new PlainJavaBiGru(weights);
        };
    }
}

package io.pricecast.model.serving;

import io.pricecast.model.bundle.ModelBundle;
import io.pricecast.model.network.ForwardPass;
import java.util.Objects;

/**
 * A verified model bundle ready to score: the bundle (scalers, spec), its forward pass and the version it is
 * known by on the {@code models} topic.
 *
 * @param version the model version named in predictions
 * @param bundle  the verified bundle
 * @param network the forward pass over its weights (thread-safe, shared by all tasks)
 */
public record LoadedModel(String version, ModelBundle bundle, ForwardPass network) {

    public LoadedModel {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(network, "network");
    }

    /** The model's content sha256 (its identity in lineage). */
    public String sha256() {
        return bundle.contentSha256();
    }
}

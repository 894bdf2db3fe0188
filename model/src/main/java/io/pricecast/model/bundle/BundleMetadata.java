package io.pricecast.model.bundle;

import java.time.Instant;
import java.util.Objects;

/**
 * The descriptive part of a model bundle. Not covered by the content sha256: re-importing the same model
 * at another time or under another id gives the same content hash.
 *
 * @param versionId    the model version, e.g. {@code ds-keras-v1}
 * @param createdAt    when the bundle was written (UTC, second precision recommended)
 * @param source       where the weights came from (e.g. the original files and their sha256)
 * @param trainingData what the model was trained on (free text, or offset ranges / row hashes for our trainer)
 */
public record BundleMetadata(String versionId, Instant createdAt, String source, String trainingData) {

    public BundleMetadata {
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(trainingData, "trainingData");
        if (!versionId.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("version id must be letters, digits, '.', '_' or '-': " + versionId);
        }
    }
}

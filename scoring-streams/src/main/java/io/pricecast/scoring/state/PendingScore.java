package io.pricecast.scoring.state;

import io.pricecast.avro.Prediction;
import java.util.Objects;

/**
 * A window waiting in the pending store for the next batched forward pass: the prediction with all its
 * lineage except the network's output, and the scaled window to feed the network.
 *
 * @param key       the output key (the input record's key)
 * @param timestamp the input record's timestamp, given to the output record
 * @param draft     the prediction without {@code model_output} / {@code pred_open} / {@code scored_at}
 * @param window    the scaled window, flattened; null for a window restored after the model that drafted it
 *                  became unavailable (it can only be rejected)
 */
public record PendingScore(String key, long timestamp, Prediction draft, float[] window) {

    public PendingScore {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(draft, "draft");
    }
}

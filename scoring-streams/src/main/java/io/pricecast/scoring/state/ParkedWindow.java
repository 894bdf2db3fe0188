package io.pricecast.scoring.state;

import java.util.Objects;
import org.apache.kafka.common.header.Headers;

/**
 * A window waiting for its batch, as the pending store keeps it: what it was made from rather than what was made
 * from it. The input record as received (its headers and value bytes, copied, not re-encoded), the series after
 * it, and the identity of the model that drafted it; a restore rebuilds the draft and the scaled window from
 * these with that model, or rejects the window when the model is no longer available. Cheap to write, and
 * written for every window, although only those still waiting at a commit reach the changelog.
 *
 * @param key          the output key (the input record's key)
 * @param timestamp    the input record's timestamp, given to the output record
 * @param headers      the input record's headers
 * @param value        the input record's value bytes
 * @param series       the series window the record advanced (its newest entry is the record's position)
 * @param modelVersion version of the model active when the record was processed
 * @param modelSha256  that model's content sha256
 */
public record ParkedWindow(
        String key,
        long timestamp,
        Headers headers,
        byte[] value,
        SeriesWindow series,
        String modelVersion,
        String modelSha256) {

    public ParkedWindow {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(modelSha256, "modelSha256");
    }
}

package io.pricecast.input.message;

import io.pricecast.input.LineOutcome;
import java.util.Objects;
import java.util.Optional;

/**
 * One console message, read and checked on its own.
 *
 * @param dataset the dataset the message names (JSON {@code dataset}), or empty for the caller's default
 * @param outcome the row, or its rejection; its line is the message offset the caller passed in
 */
public record ParsedMessage(Optional<String> dataset, LineOutcome outcome) {

    public ParsedMessage {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(outcome, "outcome");
    }
}

package io.pricecast.scoring.state;

import io.pricecast.avro.InputRef;
import io.pricecast.model.features.DailyPrice;
import java.util.Objects;

/**
 * One record of a series as the scorer remembers it: its raw prices and where it was read from.
 *
 * @param price     the raw daily prices
 * @param topic     input topic
 * @param partition input partition
 * @param offset    input offset
 */
public record WindowEntry(DailyPrice price, String topic, int partition, long offset) {

    public WindowEntry {
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(topic, "topic");
    }

    /** The lineage reference of this record. */
    public InputRef ref() {
        return new InputRef(price.date(), topic, partition, offset);
    }
}

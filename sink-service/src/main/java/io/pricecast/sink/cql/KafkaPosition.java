package io.pricecast.sink.cql;

/**
 * Where a persisted record was read from: stored with every row as its audit lineage.
 *
 * @param topic     topic
 * @param partition partition
 * @param offset    offset
 */
public record KafkaPosition(String topic, int partition, long offset) {

    @Override
    public String toString() {
        return topic + "/" + partition + "@" + offset;
    }
}

package io.pricecast.sink.consume;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one consumer is doing, for {@code /health} and {@code /metrics}.
 *
 * @param name       the consumer's name
 * @param topics     the topics it reads
 * @param phase      its phase
 * @param detail     why, when not consuming
 * @param lastPollAt when it last polled
 * @param lag        records behind the end of its partitions (at the last poll), -1 when unknown
 * @param lagByTopic the same per topic
 */
public record ConsumerStatus(
        String name,
        List<String> topics,
        Phase phase,
        String detail,
        Instant lastPollAt,
        long lag,
        Map<String, Long> lagByTopic) {

    /** The phases of a consumer. */
    public enum Phase {
        STARTING,
        CONSUMING,
        CASSANDRA_DOWN,
        REGISTRY_DOWN,
        STOPPED,
        FAILED;

        /** @return whether records flow */
        public boolean consuming() {
            return this == CONSUMING;
        }
    }
}

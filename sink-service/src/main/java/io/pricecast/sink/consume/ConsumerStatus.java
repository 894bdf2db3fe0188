package io.pricecast.sink.consume;

import java.time.Instant;

/**
 * What one topic's consumer is doing, for {@code /health} and {@code /metrics}.
 *
 * @param topic      the topic
 * @param phase      its phase
 * @param detail     why, when not consuming
 * @param lastPollAt when it last polled
 * @param lag        records behind the end of its partitions (at the last poll), -1 when unknown
 */
public record ConsumerStatus(String topic, Phase phase, String detail, Instant lastPollAt, long lag) {

    /** The phases of a consumer. */
    public enum Phase {
        STARTING, CONSUMING, CASSANDRA_DOWN, REGISTRY_DOWN, STOPPED, FAILED;

        /** @return whether records flow */
        public boolean consuming() {
            return this == CONSUMING;
        }
    }
}

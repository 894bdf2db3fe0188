package io.pricecast.trainer.data;

/**
 * The Kafka records a training set's rows came from, per topic partition.
 *
 * @param topic     the topic the sink read the row from ({@code prices.clean})
 * @param partition its partition
 * @param first     lowest offset of a row used
 * @param last      highest offset of a row used
 * @param rows      rows used from this partition (fewer than {@code last - first + 1} when other series share it)
 */
public record OffsetRange(String topic, int partition, long first, long last, long rows) {}

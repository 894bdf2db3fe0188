package io.pricecast.trainer.data;

import io.pricecast.model.features.DailyPrice;
import java.time.Instant;

/**
 * One stored daily price with the lineage the sink kept for it (prices_by_series).
 *
 * @param price          the values the model sees
 * @param kafkaTopic     topic the sink consumed it from ({@code prices.clean}); null when unknown
 * @param kafkaPartition its partition
 * @param kafkaOffset    its offset
 * @param uploadId       the upload it came from, or null
 * @param fileLine       its line in the upload, or null
 * @param rawTopic       console records: the raw topic, or null
 * @param rawPartition   its partition, or null
 * @param rawOffset      its offset, or null
 * @param ingestVersion  the ingest code version, or null
 * @param receivedAt     when ingest received it, or null
 */
public record StoredPrice(
        DailyPrice price,
        String kafkaTopic,
        Integer kafkaPartition,
        Long kafkaOffset,
        String uploadId,
        Long fileLine,
        String rawTopic,
        Integer rawPartition,
        Long rawOffset,
        String ingestVersion,
        Instant receivedAt) {}

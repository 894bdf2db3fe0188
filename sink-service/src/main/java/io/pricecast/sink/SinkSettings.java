package io.pricecast.sink;

import io.pricecast.runtime.ServiceSettings;
import io.pricecast.schemas.Topics;
import java.time.Duration;
import java.util.Map;

/**
 * The sink's configuration, read once from the environment. Topic and group names default to the
 * catalogue ({@link Topics}); tests point a sink at their own unique topics with the overrides.
 *
 * @param service          shared service settings (bootstrap, registry, Cassandra, keyspace, port)
 * @param predictionsTopic {@code PRICECAST_SINK_PREDICTIONS_TOPIC}, default {@code predictions}
 * @param pricesTopic      {@code PRICECAST_SINK_PRICES_TOPIC}, default {@code prices.accepted}: the prices scoring
 *                         accepted into their series
 * @param accuracyTopic    {@code PRICECAST_SINK_ACCURACY_TOPIC}, default {@code accuracy}
 * @param verdictsTopic    {@code PRICECAST_SINK_VERDICTS_TOPIC}, default {@code uploads.verdicts}
 * @param rejectedTopic    {@code PRICECAST_SINK_REJECTED_TOPIC}, default {@code prices.rejected}: read
 *                         into {@code rejections_by_upload}, and where poison records are dead-lettered
 * @param groupPrefix      {@code PRICECAST_SINK_GROUP}, default {@code pricecast-sink}: consumer groups are
 *                         {@code <prefix>-series} (prices, forecasts, accuracy, verdicts) and {@code <prefix>-rejections}
 * @param seriesConsumers  {@code PRICECAST_SINK_SERIES_CONSUMERS}, default 2: consumer threads of the series topics (one
 *                         group; each takes the same partitions of every series topic)
 * @param maxInFlight      {@code PRICECAST_SINK_MAX_IN_FLIGHT}, default 256: requests of the sink's Cassandra session running at once (the driver throttler's limit; more wait in its queue)
 * @param maxPollRecords   {@code PRICECAST_SINK_MAX_POLL_RECORDS}, default 10000: records per batch (one commit per batch)
 * @param maxBatchRows     {@code PRICECAST_SINK_MAX_BATCH_ROWS}, default 48: most rows of one partition key written as one
 *                         single-partition unlogged batch (1: every row its own request)
 * @param maxRequestKb     {@code PRICECAST_SINK_MAX_REQUEST_KB}, default 40: most KB of one request packing the rows of
 *                         several partitions on the same replicas (a multi-partition unlogged batch; 0: never)
 * @param retryBackoffMax  {@code PRICECAST_SINK_RETRY_BACKOFF_MAX_MS}, default 5000: longest pause between retries while Cassandra is down
 */
public record SinkSettings(
        ServiceSettings service,
        String predictionsTopic,
        String pricesTopic,
        String accuracyTopic,
        String verdictsTopic,
        String rejectedTopic,
        String groupPrefix,
        int seriesConsumers,
        int maxInFlight,
        int maxPollRecords,
        int maxBatchRows,
        int maxRequestKb,
        Duration retryBackoffMax) {

    public static final String PORT_VARIABLE = "PRICECAST_SINK_PORT";
    public static final int DEFAULT_PORT = 8084;
    public static final int DEFAULT_MAX_IN_FLIGHT = 256;
    /** One per core: a consumer's thread deserialises and binds while the other's batch is in Cassandra. */
    public static final int DEFAULT_SERIES_CONSUMERS = 2;
    /** Enough rows per batch to keep the in-flight bound busy between two commits (each batch ends in a barrier). */
    public static final int DEFAULT_MAX_POLL_RECORDS = 10_000;
    /**
     * A series' price, forecast and error rows of 16 days, about 20 KB of compact rows: one mutation (a
     * single-partition batch is not held to Cassandra's batch size thresholds), small enough to keep a backfill's
     * writes spread over the in-flight bound.
     */
    public static final int DEFAULT_MAX_BATCH_ROWS = 48;
    /**
     * Under Cassandra's default {@code batch_size_fail_threshold} (50 KiB), which a batch of several partitions is held
     * to: a daily feed's series (three rows each) go about 16 to a request.
     */
    public static final int DEFAULT_MAX_REQUEST_KB = 40;

    public static final int DEFAULT_RETRY_BACKOFF_MAX_MS = 5000;

    /**
     * @param env the environment
     * @return the settings
     */
    public static SinkSettings fromEnvironment(Map<String, String> env) {
        ServiceSettings s = ServiceSettings.fromEnvironment(env, PORT_VARIABLE, DEFAULT_PORT, "sink");
        return new SinkSettings(
                s,
                s.get("PRICECAST_SINK_PREDICTIONS_TOPIC", Topics.PREDICTIONS.name()),
                s.get("PRICECAST_SINK_PRICES_TOPIC", Topics.PRICES_ACCEPTED.name()),
                s.get("PRICECAST_SINK_ACCURACY_TOPIC", Topics.ACCURACY.name()),
                s.get("PRICECAST_SINK_VERDICTS_TOPIC", Topics.UPLOAD_VERDICTS.name()),
                s.get("PRICECAST_SINK_REJECTED_TOPIC", Topics.PRICES_REJECTED.name()),
                s.get("PRICECAST_SINK_GROUP", "pricecast-sink"),
                positive(s, "PRICECAST_SINK_SERIES_CONSUMERS", DEFAULT_SERIES_CONSUMERS),
                positive(s, "PRICECAST_SINK_MAX_IN_FLIGHT", DEFAULT_MAX_IN_FLIGHT),
                positive(s, "PRICECAST_SINK_MAX_POLL_RECORDS", DEFAULT_MAX_POLL_RECORDS),
                positive(s, "PRICECAST_SINK_MAX_BATCH_ROWS", DEFAULT_MAX_BATCH_ROWS),
                notNegative(s, "PRICECAST_SINK_MAX_REQUEST_KB", DEFAULT_MAX_REQUEST_KB),
                Duration.ofMillis(positive(s, "PRICECAST_SINK_RETRY_BACKOFF_MAX_MS", DEFAULT_RETRY_BACKOFF_MAX_MS)));
    }

    private static int positive(ServiceSettings s, String name, int fallback) {
        int v = s.getInt(name, fallback);
        if (v <= 0) {
            throw new IllegalArgumentException(name + "=" + v + " must be positive");
        }
        return v;
    }

    private static int notNegative(ServiceSettings s, String name, int fallback) {
        int v = s.getInt(name, fallback);
        if (v < 0) {
            throw new IllegalArgumentException(name + "=" + v + " must be 0 or more");
        }
        return v;
    }
}

package io.pricecast.scoring;

import io.pricecast.model.serving.Engine;
import io.pricecast.runtime.KafkaAccess;
import io.pricecast.runtime.ServiceSettings;
import io.pricecast.schemas.Topics;
import io.pricecast.scoring.errors.LoggingDeserializationHandler;
import io.pricecast.scoring.errors.LoggingProductionHandler;
import io.pricecast.scoring.serde.RecordSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the scoring application is configured with, read once (see docs/scoring-streams.md for the
 * environment variables and their defaults).
 *
 * @param applicationId      Streams application id (consumer group, transactional id and internal topic prefix)
 * @param kafka              the brokers and their security (SASL) settings
 * @param stateDir           local state directory of the Streams stores
 * @param inputTopic         validated prices ({@code PriceRecord}), keyed {@code dataset|series}
 * @param predictionsTopic   output ({@code Prediction}), keyed like the input
 * @param acceptedTopic      input records that extended their series ({@code PriceRecord}, the input's bytes)
 * @param accuracyTopic      forecasts scored against their actuals ({@code Accuracy}), keyed like the input
 * @param verdictsTopic      per upload and input partition, how its records were judged ({@code UploadVerdicts})
 * @param rejectedTopic      records refused against their series' history or not scored ({@code RejectedRecord},
 *                           stage {@code scoring})
 * @param modelsTopic        the compacted model registry topic ({@code ModelEvent}), read as a global store
 * @param serdes             the Avro serde factory (the registry's in production)
 * @param codeVersion        this build's code version, stamped into every prediction
 * @param engine             which forward pass scores the windows
 * @param maxBatch           windows scored in one forward call; 1 scores each record as it arrives
 * @param flushInterval      wall-clock period after which a partly filled batch is scored anyway
 * @param verdictInterval    wall-clock period after which changed upload verdicts are published
 * @param streamThreads      {@code num.stream.threads}
 * @param standbyReplicas    {@code num.standby.replicas}
 * @param commitInterval     {@code commit.interval.ms}
 * @param cacheMaxBytes      {@code statestore.cache.max.bytes}
 * @param fetchMaxWait       the consumers' {@code fetch.max.wait.ms}
 * @param producerLinger     the producers' {@code linger.ms}
 * @param maxPollRecords     the consumers' {@code max.poll.records}, also Streams' {@code buffered.records.per.partition}
 * @param compression        the producers' {@code compression.type} (outputs and changelogs)
 */
public record ScoringConfig(
        String applicationId,
        KafkaAccess kafka,
        Path stateDir,
        String inputTopic,
        String predictionsTopic,
        String acceptedTopic,
        String accuracyTopic,
        String verdictsTopic,
        String rejectedTopic,
        String modelsTopic,
        RecordSerdes serdes,
        String codeVersion,
        Engine engine,
        int maxBatch,
        Duration flushInterval,
        Duration verdictInterval,
        int streamThreads,
        int standbyReplicas,
        Duration commitInterval,
        long cacheMaxBytes,
        Duration fetchMaxWait,
        Duration producerLinger,
        int maxPollRecords,
        String compression) {

    public static final String DEFAULT_APPLICATION_ID = "pricecast-scoring";
    public static final int DEFAULT_MAX_BATCH = 1024;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(20);
    /** Upload verdicts are counts for a status page: a few per second per upload and partition is plenty. */
    public static final Duration DEFAULT_VERDICT_INTERVAL = Duration.ofMillis(500);

    public static final int DEFAULT_STREAM_THREADS = 1;
    public static final int DEFAULT_STANDBY_REPLICAS = 0;
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);
    public static final long DEFAULT_CACHE_MAX_BYTES = 16L * 1024 * 1024;
    public static final Duration DEFAULT_FETCH_MAX_WAIT = Duration.ofMillis(50);
    public static final Duration DEFAULT_PRODUCER_LINGER = Duration.ofMillis(5);
    /** More than Streams' 1,000: fewer polls per record and fuller batches per task during a backfill. */
    public static final int DEFAULT_MAX_POLL_RECORDS = 5_000;
    /** Predictions repeat hashes, versions and topic names: lz4 cuts the bytes the broker must take. */
    public static final String DEFAULT_COMPRESSION = "lz4";
    /**
     * Producer batches of up to 256 KB (Kafka's default is 16 KB): a backfill's predictions and changelog records
     * leave in few large requests, so the flush of each exactly-once commit waits for fewer round trips. Latency is
     * unaffected: {@code linger.ms} still bounds how long a record waits for its batch.
     */
    public static final int PRODUCER_BATCH_BYTES = 256 * 1024;
    /** Input fetches of up to 4 MB per partition (default 1 MB), so one poll can fill {@code max.poll.records}. */
    public static final int MAX_PARTITION_FETCH_BYTES = 4 * 1024 * 1024;

    public ScoringConfig {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(inputTopic, "inputTopic");
        Objects.requireNonNull(predictionsTopic, "predictionsTopic");
        Objects.requireNonNull(acceptedTopic, "acceptedTopic");
        Objects.requireNonNull(accuracyTopic, "accuracyTopic");
        Objects.requireNonNull(verdictsTopic, "verdictsTopic");
        Objects.requireNonNull(rejectedTopic, "rejectedTopic");
        Objects.requireNonNull(modelsTopic, "modelsTopic");
        Objects.requireNonNull(serdes, "serdes");
        Objects.requireNonNull(codeVersion, "codeVersion");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(compression, "compression");
        requirePositive("maxBatch", maxBatch);
        requirePositive("streamThreads", streamThreads);
        requirePositive("maxPollRecords", maxPollRecords);
        if (standbyReplicas < 0) {
            throw new IllegalArgumentException("standbyReplicas must not be negative: " + standbyReplicas);
        }
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flushInterval must be positive: " + flushInterval);
        }
        if (verdictInterval.isNegative() || verdictInterval.isZero()) {
            throw new IllegalArgumentException("verdictInterval must be positive: " + verdictInterval);
        }
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /**
     * Reads the configuration from the service settings (environment); see docs/scoring-streams.md.
     *
     * @param settings    the process's settings
     * @param serdes      the Avro serde factory
     * @param codeVersion this build's code version
     */
    public static ScoringConfig fromSettings(ServiceSettings settings, RecordSerdes serdes, String codeVersion) {
        return new ScoringConfig(
                settings.get("PRICECAST_SCORING_APPLICATION_ID", DEFAULT_APPLICATION_ID),
                settings.kafka(),
                settings.stateDir(),
                settings.get("PRICECAST_SCORING_INPUT_TOPIC", Topics.PRICES_CLEAN.name()),
                settings.get("PRICECAST_SCORING_PREDICTIONS_TOPIC", Topics.PREDICTIONS.name()),
                settings.get("PRICECAST_SCORING_ACCEPTED_TOPIC", Topics.PRICES_ACCEPTED.name()),
                settings.get("PRICECAST_SCORING_ACCURACY_TOPIC", Topics.ACCURACY.name()),
                settings.get("PRICECAST_SCORING_VERDICTS_TOPIC", Topics.UPLOAD_VERDICTS.name()),
                settings.get("PRICECAST_SCORING_REJECTED_TOPIC", Topics.PRICES_REJECTED.name()),
                settings.get("PRICECAST_SCORING_MODELS_TOPIC", Topics.MODELS.name()),
                serdes,
                codeVersion,
                engine(settings.get("PRICECAST_SCORING_ENGINE", Engine.AUTO.name())),
                settings.getInt("PRICECAST_SCORING_MAX_BATCH", DEFAULT_MAX_BATCH),
                Duration.ofMillis(
                        settings.getInt("PRICECAST_SCORING_FLUSH_MS", (int) DEFAULT_FLUSH_INTERVAL.toMillis())),
                Duration.ofMillis(
                        settings.getInt("PRICECAST_SCORING_VERDICTS_MS", (int) DEFAULT_VERDICT_INTERVAL.toMillis())),
                settings.getInt("PRICECAST_SCORING_STREAM_THREADS", DEFAULT_STREAM_THREADS),
                settings.getInt("PRICECAST_SCORING_STANDBY_REPLICAS", DEFAULT_STANDBY_REPLICAS),
                Duration.ofMillis(settings.getInt(
                        "PRICECAST_SCORING_COMMIT_INTERVAL_MS", (int) DEFAULT_COMMIT_INTERVAL.toMillis())),
                settings.getInt("PRICECAST_SCORING_CACHE_MAX_BYTES", (int) DEFAULT_CACHE_MAX_BYTES),
                Duration.ofMillis(settings.getInt(
                        "PRICECAST_SCORING_FETCH_MAX_WAIT_MS", (int) DEFAULT_FETCH_MAX_WAIT.toMillis())),
                Duration.ofMillis(settings.getInt(
                        "PRICECAST_SCORING_PRODUCER_LINGER_MS", (int) DEFAULT_PRODUCER_LINGER.toMillis())),
                settings.getInt("PRICECAST_SCORING_MAX_POLL_RECORDS", DEFAULT_MAX_POLL_RECORDS),
                settings.get("PRICECAST_SCORING_COMPRESSION", DEFAULT_COMPRESSION));
    }

    private static Engine engine(String value) {
        try {
            return Engine.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "PRICECAST_SCORING_ENGINE=" + value + " (expected auto, java or djl)", e);
        }
    }

    /** The Kafka Streams properties: exactly-once v2, the exception handlers, threads, standbys and client tuning. */
    public Properties streamsProperties() {
        Properties p = kafka.properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cacheMaxBytes);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LoggingDeserializationHandler.class);
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, LoggingProductionHandler.class);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), (int) fetchMaxWait.toMillis());
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), (int) producerLinger.toMillis());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), maxPollRecords);
        p.put(StreamsConfig.BUFFERED_RECORDS_PER_PARTITION_CONFIG, maxPollRecords);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), compression);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), MAX_PARTITION_FETCH_BYTES);
        return p;
    }
}

package io.pricecast.ingest;

import io.pricecast.input.batch.BatchCleaner;
import io.pricecast.input.csv.ReadLimits;
import io.pricecast.runtime.ServiceSettings;
import io.pricecast.schemas.Topics;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything ingest-service reads from its environment beyond {@link ServiceSettings}, loaded once.
 * Topic names default to the catalogue ({@link Topics}); tests point them at unique topics.
 *
 * @param rawTopic             console messages ({@code PRICECAST_INGEST_RAW_TOPIC}, default prices.raw)
 * @param cleanTopic           validated records ({@code PRICECAST_INGEST_CLEAN_TOPIC}, default prices.clean)
 * @param rejectedTopic        refused records ({@code PRICECAST_INGEST_REJECTED_TOPIC}, default prices.rejected)
 * @param maxUploadBytes       largest accepted upload body ({@code PRICECAST_INGEST_MAX_UPLOAD_MB}, default 512 MB)
 * @param maxLineLength        longest record ({@code PRICECAST_INGEST_MAX_LINE_LENGTH}, default 4,096 characters)
 * @param maxRowsInMemory      rows sorted in memory before spilling ({@code PRICECAST_INGEST_MAX_ROWS_IN_MEMORY})
 * @param recordsPerTransaction records after which an upload's transaction commits
 *                             ({@code PRICECAST_INGEST_RECORDS_PER_TRANSACTION}, default 50,000)
 * @param maxTransactionAge    age after which an open upload transaction commits even when small
 *                             ({@code PRICECAST_INGEST_MAX_TRANSACTION_SECONDS}, default 5 s)
 * @param transactionTimeout   the producers' {@code transaction.timeout.ms}
 *                             ({@code PRICECAST_INGEST_TRANSACTION_TIMEOUT_SECONDS}, default 12 s, above
 *                             {@code maxTransactionAge}): how long a killed instance's open transaction holds back
 *                             every {@code read_committed} reader of the partitions it wrote to before the broker
 *                             aborts it
 * @param rejectedSample       rejected lines kept per upload for its status ({@code PRICECAST_INGEST_REJECTED_SAMPLE}, default 20)
 * @param consoleEnabled       whether the console intake runs ({@code PRICECAST_INGEST_CONSOLE}, default true)
 * @param consoleDataset       dataset of console messages that name none (default live)
 * @param consoleGroupId       consumer group of the console intake ({@code PRICECAST_INGEST_CONSOLE_GROUP})
 * @param instanceId           this instance's name, part of the console transactional id ({@code PRICECAST_INSTANCE_ID}, default 0)
 * @param uploadWorkers        uploads published at the same time ({@code PRICECAST_INGEST_UPLOAD_WORKERS}, default 2)
 */
public record IngestConfig(
        String rawTopic,
        String cleanTopic,
        String rejectedTopic,
        long maxUploadBytes,
        int maxLineLength,
        int maxRowsInMemory,
        int recordsPerTransaction,
        Duration maxTransactionAge,
        Duration transactionTimeout,
        int rejectedSample,
        boolean consoleEnabled,
        String consoleDataset,
        String consoleGroupId,
        String instanceId,
        int uploadWorkers) {

    /** The dataset of the daily feed and of console messages that name none. */
    public static final String LIVE_DATASET = "live";

    static final int DEFAULT_MAX_UPLOAD_MB = 512;
    static final int DEFAULT_RECORDS_PER_TRANSACTION = 50_000;
    static final int DEFAULT_MAX_TRANSACTION_SECONDS = 5;
    /**
     * A dead instance's open transaction blocks scoring on every partition it wrote to until the broker aborts it after
     * this; at 120 s a {@code kill -9} of one of two ingest instances stopped forecasts for 95 s (docs/reliability.md).
     */
    static final int DEFAULT_TRANSACTION_TIMEOUT_SECONDS = 12;

    static final int DEFAULT_REJECTED_SAMPLE = 20;
    static final int DEFAULT_UPLOAD_WORKERS = 2;
    private static final long BYTES_PER_MB = 1024L * 1024L;

    public IngestConfig {
        Objects.requireNonNull(rawTopic, "rawTopic");
        Objects.requireNonNull(cleanTopic, "cleanTopic");
        Objects.requireNonNull(rejectedTopic, "rejectedTopic");
        if (maxUploadBytes < 1 || recordsPerTransaction < 1 || rejectedSample < 0 || uploadWorkers < 1) {
            throw new IllegalArgumentException("ingest limits must be positive: " + maxUploadBytes + " bytes, "
                    + recordsPerTransaction + " records per transaction, " + rejectedSample + " sample, "
                    + uploadWorkers + " workers");
        }
        if (maxTransactionAge.compareTo(transactionTimeout) >= 0) {
            throw new IllegalArgumentException("max transaction age " + maxTransactionAge
                    + " must be below the transaction timeout " + transactionTimeout);
        }
    }

    /** @return the defaults: catalogue topics, 512 MB uploads, console intake on */
    public static IngestConfig defaults() {
        return new IngestConfig(
                Topics.PRICES_RAW.name(),
                Topics.PRICES_CLEAN.name(),
                Topics.PRICES_REJECTED.name(),
                DEFAULT_MAX_UPLOAD_MB * BYTES_PER_MB,
                ReadLimits.DEFAULT_MAX_LINE_LENGTH,
                BatchCleaner.Settings.DEFAULT_MAX_ROWS_IN_MEMORY,
                DEFAULT_RECORDS_PER_TRANSACTION,
                Duration.ofSeconds(DEFAULT_MAX_TRANSACTION_SECONDS),
                Duration.ofSeconds(DEFAULT_TRANSACTION_TIMEOUT_SECONDS),
                DEFAULT_REJECTED_SAMPLE,
                true,
                LIVE_DATASET,
                "pricecast-ingest-console",
                "0",
                DEFAULT_UPLOAD_WORKERS);
    }

    /**
     * @param settings the service settings (their environment)
     * @return the configuration, defaults overridden by {@code PRICECAST_INGEST_*} variables
     */
    public static IngestConfig fromSettings(ServiceSettings settings) {
        IngestConfig d = defaults();
        return new IngestConfig(
                settings.get("PRICECAST_INGEST_RAW_TOPIC", d.rawTopic()),
                settings.get("PRICECAST_INGEST_CLEAN_TOPIC", d.cleanTopic()),
                settings.get("PRICECAST_INGEST_REJECTED_TOPIC", d.rejectedTopic()),
                settings.getInt("PRICECAST_INGEST_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB) * BYTES_PER_MB,
                settings.getInt("PRICECAST_INGEST_MAX_LINE_LENGTH", d.maxLineLength()),
                settings.getInt("PRICECAST_INGEST_MAX_ROWS_IN_MEMORY", d.maxRowsInMemory()),
                settings.getInt("PRICECAST_INGEST_RECORDS_PER_TRANSACTION", d.recordsPerTransaction()),
                Duration.ofSeconds(
                        settings.getInt("PRICECAST_INGEST_MAX_TRANSACTION_SECONDS", DEFAULT_MAX_TRANSACTION_SECONDS)),
                Duration.ofSeconds(settings.getInt(
                        "PRICECAST_INGEST_TRANSACTION_TIMEOUT_SECONDS", DEFAULT_TRANSACTION_TIMEOUT_SECONDS)),
                settings.getInt("PRICECAST_INGEST_REJECTED_SAMPLE", d.rejectedSample()),
                Boolean.parseBoolean(settings.get("PRICECAST_INGEST_CONSOLE", "true")),
                d.consoleDataset(),
                settings.get("PRICECAST_INGEST_CONSOLE_GROUP", d.consoleGroupId()),
                settings.get("PRICECAST_INSTANCE_ID", d.instanceId()),
                settings.getInt("PRICECAST_INGEST_UPLOAD_WORKERS", d.uploadWorkers()));
    }

    /** @return a copy with other topics (tests) */
    public IngestConfig withTopics(String raw, String clean, String rejected) {
        return copy(raw, clean, rejected, maxUploadBytes, recordsPerTransaction, consoleEnabled, consoleGroupId);
    }

    /** @return a copy with another upload size limit (tests) */
    public IngestConfig withMaxUploadBytes(long bytes) {
        return copy(rawTopic, cleanTopic, rejectedTopic, bytes, recordsPerTransaction, consoleEnabled, consoleGroupId);
    }

    /** @return a copy with another transaction size (benchmarks) */
    public IngestConfig withRecordsPerTransaction(int records) {
        return copy(rawTopic, cleanTopic, rejectedTopic, maxUploadBytes, records, consoleEnabled, consoleGroupId);
    }

    /** @return a copy with another console group (tests) */
    public IngestConfig withConsoleGroup(String groupId) {
        return copy(
                rawTopic, cleanTopic, rejectedTopic, maxUploadBytes, recordsPerTransaction, consoleEnabled, groupId);
    }

    /** @return a copy with the console intake switched on or off (tests) */
    public IngestConfig withConsoleEnabled(boolean enabled) {
        return copy(
                rawTopic, cleanTopic, rejectedTopic, maxUploadBytes, recordsPerTransaction, enabled, consoleGroupId);
    }

    /** The one copy the {@code with} methods make: the settings tests vary, the rest unchanged. */
    private IngestConfig copy(
            String raw, String clean, String rejected, long uploadBytes, int records, boolean console, String groupId) {
        return new IngestConfig(
                raw,
                clean,
                rejected,
                uploadBytes,
                maxLineLength,
                maxRowsInMemory,
                records,
                maxTransactionAge,
                transactionTimeout,
                rejectedSample,
                console,
                consoleDataset,
                groupId,
                instanceId,
                uploadWorkers);
    }

    /** @return the price-input read limits */
    public ReadLimits readLimits() {
        return new ReadLimits(maxLineLength);
    }
}

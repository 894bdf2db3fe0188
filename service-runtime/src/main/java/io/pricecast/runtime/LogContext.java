package io.pricecast.runtime;

import org.slf4j.MDC;

/**
 * What the service is working on, in the logging context (SLF4J's MDC) while it does: the JSON logs
 * ({@code PRICECAST_LOG_FORMAT=json}) carry it as fields of every line logged meanwhile, so a search by upload id or
 * by Kafka position finds every line about it.
 *
 * <pre>{@code
 * try (LogContext ignored = LogContext.record(r.topic(), r.partition(), r.offset())) { ... }
 * }</pre>
 */
public final class LogContext implements AutoCloseable {

    public static final String UPLOAD_ID = "upload_id";
    public static final String DATASET = "dataset";
    public static final String TOPIC = "topic";
    public static final String PARTITION = "partition";
    public static final String OFFSET = "offset";

    private final String[] keys;

    private LogContext(String... keysAndValues) {
        keys = new String[keysAndValues.length / 2];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = keysAndValues[2 * i];
            MDC.put(keys[i], keysAndValues[2 * i + 1]);
        }
    }

    /** An upload being read, validated or published. */
    public static LogContext upload(String uploadId, String dataset) {
        return new LogContext(UPLOAD_ID, uploadId, DATASET, dataset);
    }

    /** A Kafka record being handled. */
    public static LogContext record(String topic, int partition, long offset) {
        return new LogContext(TOPIC, topic, PARTITION, Integer.toString(partition), OFFSET, Long.toString(offset));
    }

    /** Removes what this context put. */
    @Override
    public void close() {
        for (String key : keys) {
            MDC.remove(key);
        }
    }
}

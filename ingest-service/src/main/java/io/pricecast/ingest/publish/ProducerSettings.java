package io.pricecast.ingest.publish;

import io.pricecast.runtime.KafkaAccess;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Producer properties shared by uploads, the console intake and the benchmark's raw producer. */
public final class ProducerSettings {

    /**
     * Prefix of the upload workers' transactional ids (then {@code <instance>-w<worker>}) and of each upload's progress
     * group (then the upload id).
     */
    public static final String UPLOAD_TRANSACTIONAL_PREFIX = "pricecast-ingest-upload-";
    /** Prefix of the console intake's transactional id; the rest is the instance id. */
    public static final String CONSOLE_TRANSACTIONAL_PREFIX = "pricecast-ingest-console-";

    static final int BATCH_BYTES = 256 * 1024;
    static final int LINGER_MS = 10;
    static final String COMPRESSION = "lz4";

    private ProducerSettings() {}

    /**
     * Idempotent, {@code acks=all}, batched producer of String keys and serialized values.
     *
     * @param kafka the brokers and their security (SASL) settings
     * @return the properties
     */
    public static Properties plain(KafkaAccess kafka) {
        Properties p = kafka.properties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES);
        p.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, COMPRESSION);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /**
     * @param kafka           the brokers and their security (SASL) settings
     * @param transactionalId the transactional id (a restarted owner fences its zombie with it)
     * @param timeout         {@code transaction.timeout.ms}
     * @return the properties of a transactional producer
     */
    public static Properties transactional(KafkaAccess kafka, String transactionalId, Duration timeout) {
        Properties p = plain(kafka);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) timeout.toMillis());
        return p;
    }
}

package io.pricecast.sink.consume;

import io.pricecast.avro.RecordSource;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.runtime.KafkaAccess;
import io.pricecast.schemas.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends records the sink cannot store to {@code prices.rejected} with {@code stage = sink}, the reason,
 * and the topic/partition/offset of the poison record, so the catalogue keeps one topic of refusals.
 */
public final class DeadLetters implements AutoCloseable {

    /** The stage name on the sink's dead letters. */
    public static final String STAGE = "sink";
    /** The raw text of a dead letter is cut to this many bytes (the schema promises at most 4 KiB). */
    static final int RAW_BYTES = 3 * 1024;

    private final Producer<String, RejectedRecord> producer;
    private final String topic;
    private final String codeVersion;

    /**
     * @param kafka       the brokers and their security (SASL) settings
     * @param serdes      the Avro serde factory
     * @param topic       the dead-letter topic (prices.rejected)
     * @param codeVersion the sink's code version
     */
    public DeadLetters(KafkaAccess kafka, AvroSerdes serdes, String topic, String codeVersion) {
        Properties p = kafka.properties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "pricecast-sink-dead-letters");
        this.producer = new KafkaProducer<>(
                p,
                new StringSerializer(),
                serdes.serde(RejectedRecord.class, false).serializer());
        this.topic = topic;
        this.codeVersion = codeVersion;
    }

    /**
     * A dead letter for a poison record.
     *
     * @param key       the poison record's key
     * @param bytes     its value bytes (may be null)
     * @param dataset   its dataset when known
     * @param symbol    its symbol when known
     * @param source    how it entered the system, when known
     * @param position  where it was read
     * @param reason    reason code
     * @param field     offending field, or null
     * @param message   explanation
     * @return the dead letter
     */
    public RejectedRecord letter(
            String key,
            byte[] bytes,
            String dataset,
            String symbol,
            RecordSource source,
            io.pricecast.sink.cql.KafkaPosition position,
            String reason,
            String field,
            String message) {
        String[] keyParts = key == null ? new String[0] : key.split("\\|", 2);
        return RejectedRecord.newBuilder()
                .setDataset(dataset != null ? dataset : keyParts.length > 0 ? keyParts[0] : "unknown")
                .setSymbol(symbol != null ? symbol : keyParts.length > 1 ? keyParts[1] : null)
                .setStage(STAGE)
                .setReason(reason)
                .setField(field)
                .setMessage(message + " (" + position + ")")
                .setRaw(raw(bytes))
                .setSource(source != null ? source : RecordSource.CONSOLE)
                .setRawTopic(position.topic())
                .setRawPartition(position.partition())
                .setRawOffset(position.offset())
                .setCodeVersion(codeVersion)
                .setRejectedAt(Instant.now())
                .build();
    }

    /**
     * @param key    key of the dead letter (the poison record's key)
     * @param letter the dead letter
     * @return completes when the broker acknowledged it
     */
    public CompletableFuture<RecordMetadata> send(String key, RejectedRecord letter) {
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, key, letter), (metadata, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(metadata);
            }
        });
        return done;
    }

    /** @return the dead-letter topic */
    public String topic() {
        return topic;
    }

    private static String raw(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        byte[] cut = bytes.length <= RAW_BYTES ? bytes : java.util.Arrays.copyOf(bytes, RAW_BYTES);
        String text = new String(cut, StandardCharsets.UTF_8);
        boolean printable = text.chars().allMatch(c -> c >= ' ' && c != 0xFFFD || c == '\n' || c == '\t' || c == '\r');
        return printable ? text : "base64:" + Base64.getEncoder().encodeToString(cut);
    }

    @Override
    public void close() {
        producer.close();
    }
}

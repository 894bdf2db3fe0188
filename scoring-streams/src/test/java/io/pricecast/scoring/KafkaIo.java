package io.pricecast.scoring;

import static org.awaitility.Awaitility.await;

import io.pricecast.testing.StackEndpoints;
import io.pricecast.testing.UniqueNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Producing Avro records to and reading them (read_committed) from the test broker. */
public final class KafkaIo {

    private static final Duration POLL = Duration.ofMillis(100);

    private final StackEndpoints stack;

    public KafkaIo(StackEndpoints stack) {
        this.stack = stack;
    }

    /** Sends {@code values} keyed by {@code keys} (same order) and returns where each landed. */
    public <T extends SpecificRecord> List<RecordMetadata> produce(
            String topic, Class<T> type, List<String> keys, List<T> values)
            throws InterruptedException, ExecutionException {
        Properties p = stack.kafkaProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, T> producer = new KafkaProducer<>(
                p, new StringSerializer(), stack.serdes().serde(type, false).serializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(values.size());
            for (int i = 0; i < values.size(); i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, keys.get(i), values.get(i))));
            }
            producer.flush();
            List<RecordMetadata> positions = new ArrayList<>(sent.size());
            for (Future<RecordMetadata> f : sent) {
                positions.add(f.get());
            }
            return positions;
        }
    }

    /** A read_committed consumer of {@code topic} from the beginning (the caller closes it). */
    public <T extends SpecificRecord> KafkaConsumer<String, T> committedReader(String topic, Class<T> type) {
        Properties c = stack.kafkaProperties();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, UniqueNames.topic("reader"));
        c.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        KafkaConsumer<String, T> consumer = new KafkaConsumer<>(
                c, new StringDeserializer(), stack.serdes().serde(type, false).deserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Polls {@code consumer} into {@code sink} until it holds at least {@code count} records. */
    public static <T> void awaitAtLeast(
            KafkaConsumer<String, T> consumer, List<ConsumerRecord<String, T>> sink, int count, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(1)).until(() -> {
            consumer.poll(POLL).forEach(sink::add);
            return sink.size() >= count;
        });
    }

    /**
     * Polls {@code consumer} into {@code sink} until it has read every partition of its subscription up to the end
     * offsets of this moment: for a read_committed consumer, everything committed so far, duplicates included.
     */
    public static <T> void readToEnd(
            KafkaConsumer<String, T> consumer, List<ConsumerRecord<String, T>> sink, Duration timeout) {
        Set<TopicPartition> all = consumer.subscription().stream()
                .flatMap(topic -> consumer.partitionsFor(topic, timeout).stream())
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .collect(Collectors.toSet());
        await().atMost(timeout).pollInterval(Duration.ofMillis(1)).until(() -> {
            consumer.poll(POLL).forEach(sink::add);
            return consumer.assignment().containsAll(all);
        });
        Map<TopicPartition, Long> end = consumer.endOffsets(all, timeout);
        await().atMost(timeout).pollInterval(Duration.ofMillis(1)).until(() -> {
            consumer.poll(POLL).forEach(sink::add);
            return all.stream().allMatch(tp -> consumer.position(tp, timeout) >= end.get(tp));
        });
    }

    /** Everything committed on {@code topic}: read until {@code count} records arrived, then to the end offsets. */
    public <T extends SpecificRecord> List<ConsumerRecord<String, T>> readCommitted(
            String topic, Class<T> type, int count, Duration timeout) {
        List<ConsumerRecord<String, T>> out = new ArrayList<>();
        try (KafkaConsumer<String, T> consumer = committedReader(topic, type)) {
            awaitAtLeast(consumer, out, count, timeout);
            readToEnd(consumer, out, timeout);
        }
        return out;
    }
}

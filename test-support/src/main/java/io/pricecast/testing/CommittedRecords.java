package io.pricecast.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a topic as a downstream consumer sees it: every record of committed transactions ({@code read_committed}),
 * from the beginning to the end offsets of the moment it starts, without a consumer group. What tests count
 * exactly-once outcomes with: a record of an aborted transaction, or one written twice, shows up here or not at
 * all, as it would for any reader.
 */
public final class CommittedRecords {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final int MAX_POLL_RECORDS = 5_000;

    private CommittedRecords() {}

    /**
     * Calls {@code each} for every committed record of {@code topic}, in partition order, without keeping them.
     *
     * @param kafka   client properties (bootstrap servers and security)
     * @param timeout how long reading to the end may take before it fails
     * @return the number of records read
     */
    public static <K, V> long forEach(
            Properties kafka,
            String topic,
            Deserializer<K> keys,
            Deserializer<V> values,
            Duration timeout,
            Consumer<ConsumerRecord<K, V>> each) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        long count = 0;
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(p, keys, values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to " + end + " within " + timeout);
                }
                for (ConsumerRecord<K, V> record : consumer.poll(POLL)) {
                    each.accept(record);
                    count++;
                }
            }
        }
        return count;
    }
}

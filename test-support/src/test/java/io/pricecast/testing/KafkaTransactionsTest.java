package io.pricecast.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealStack.class)
class KafkaTransactionsTest {

    private static final int RECORDS = 1_000;

    @Test
    void readCommittedConsumerSeesExactlyTheRecordsOfCommittedTransactions(StackEndpoints stack) {
        String topic = stack.createTopic("tx", 3, Map.of());

        Properties p = stack.kafkaProperties();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, UniqueNames.topic("txid"));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "aborted", "never visible"));
            producer.abortTransaction();
            for (int batch = 0; batch < 10; batch++) {
                producer.beginTransaction();
                for (int i = 0; i < RECORDS / 10; i++) {
                    int n = batch * (RECORDS / 10) + i;
                    producer.send(new ProducerRecord<>(topic, "k" + (n % 17), "v" + n));
                }
                producer.commitTransaction();
            }
        }

        Properties c = stack.kafkaProperties();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, UniqueNames.topic("group"));
        c.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString().toLowerCase());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
                return values.size() >= RECORDS;
            });
            // nothing beyond the committed records arrives either
            consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
        }

        assertThat(values).hasSize(RECORDS).doesNotHaveDuplicates().doesNotContain("never visible");
        assertThat(values).contains("v0", "v999");
    }
}

package io.pricecast.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import io.pricecast.avro.Prediction;
import io.pricecast.avro.PriceRecord;
import io.pricecast.model.bundle.KerasImport;
import io.pricecast.model.serving.Engine;
import io.pricecast.runtime.KafkaAccess;
import io.pricecast.scoring.serde.RecordSerdes;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.SaslKafkaBroker;
import io.pricecast.testing.StackEndpoints;
import io.pricecast.testing.UniqueNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scoring against a real broker that only speaks SASL_PLAINTEXT/PLAIN: the Streams application's consumers, its
 * transactional producer and its admin client log in through the services' own {@link KafkaAccess} (the
 * {@code PRICECAST_KAFKA_SASL_*} variables), and every record of the input comes out as exactly one forecast, the
 * notebook's.
 */
@ExtendWith(RealStack.class)
class SaslKafkaScoringTest {

    private static final String USER = SaslKafkaBroker.USER;
    private static final String PASSWORD = SaslKafkaBroker.PASSWORD;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** The first days of each symbol of the sample: enough to fill windows and score real forecasts. */
    private static final int DAYS = 60;

    private static final double RELATIVE_TOLERANCE_PERCENT = 1e-4 * 100;

    @Test
    void scoresEveryRecordOnceThroughASaslBroker(StackEndpoints stack, SaslKafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        TestTopics topics = new TestTopics(
                kafka.createTopic("prices", 2),
                kafka.createTopic("predictions", 2),
                kafka.createTopic("accepted", 2),
                kafka.createTopic("accuracy", 2),
                kafka.createTopic("verdicts", 1),
                kafka.createTopic("rejected", 1),
                kafka.createTopic("models", 1));
        KafkaAccess login = KafkaAccess.fromEnvironment(kafka.bootstrap(), kafka.serviceEnvironment(USER, PASSWORD));
        ScoringConfig config = TestData.config(
                UniqueNames.topic("sasl-app"),
                login,
                dir.resolve("state"),
                topics,
                RecordSerdes.of(stack.serdes()),
                "code-test",
                64,
                Engine.JAVA,
                ScoringConfig.DEFAULT_FLUSH_INTERVAL);
        assertThat(config.streamsProperties().getProperty("security.protocol")).isEqualTo("SASL_PLAINTEXT");
        List<PriceRecord> input = new ArrayList<>();
        TestData.bySymbol(TestData.sample("sasl", "upload-sasl"))
                .values()
                .forEach(rows -> input.addAll(rows.subList(0, DAYS)));

        List<ConsumerRecord<String, Prediction>> out = new ArrayList<>();
        try (ScoringService service = ScoringService.start(config, 0);
                KafkaConsumer<String, Prediction> reader = reader(kafka, stack, topics.predictions())) {
            produce(kafka, stack, topics.input(), input);
            KafkaIo.awaitAtLeast(reader, out, input.size(), TIMEOUT);
            assertThat(service.healthy()).isTrue();
            KafkaIo.readToEnd(reader, out, TIMEOUT);
        }

        assertThat(out).hasSize(input.size());
        Map<String, Prediction> byBase = new HashMap<>();
        for (ConsumerRecord<String, Prediction> r : out) {
            Prediction p = r.value();
            assertThat(byBase.put(p.getSymbol() + "|" + p.getBaseDate(), p))
                    .as("duplicate of %s", p.getPredictionId())
                    .isNull();
        }
        Map<String, List<PriceRecord>> bySymbol = TestData.bySymbol(input);
        int compared = 0;
        for (TestData.Expected e : TestData.expected()) {
            if (e.index() >= DAYS) {
                continue;
            }
            Prediction p = byBase.get(
                    e.symbol() + "|" + bySymbol.get(e.symbol()).get(e.index()).getDate());
            assertThat(p.getModelVersion()).isEqualTo(KerasImport.FIRST_VERSION_ID);
            assertThat(p.getPredOpen()).isCloseTo(e.predOpen(), withPercentage(RELATIVE_TOLERANCE_PERCENT));
            compared++;
        }
        assertThat(compared).isPositive();
    }

    private static void produce(SaslKafkaBroker kafka, StackEndpoints stack, String topic, List<PriceRecord> records)
            throws Exception {
        Properties p = kafka.clientProperties(USER, PASSWORD);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, PriceRecord> producer = new KafkaProducer<>(
                p,
                new StringSerializer(),
                stack.serdes().serde(PriceRecord.class, false).serializer())) {
            for (PriceRecord r : records) {
                producer.send(new ProducerRecord<>(topic, TestData.key(r), r));
            }
            producer.flush();
        }
    }

    private static KafkaConsumer<String, Prediction> reader(SaslKafkaBroker kafka, StackEndpoints stack, String topic) {
        Properties c = kafka.clientProperties(USER, PASSWORD);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, UniqueNames.topic("sasl-reader"));
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, Prediction> consumer = new KafkaConsumer<>(
                c,
                new StringDeserializer(),
                stack.serdes().serde(Prediction.class, false).deserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}

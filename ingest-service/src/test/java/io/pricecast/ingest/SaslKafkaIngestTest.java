package io.pricecast.ingest;

import static io.pricecast.ingest.IngestTestKit.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pricecast.avro.PriceRecord;
import io.pricecast.runtime.ServiceSettings;
import io.pricecast.testing.Readiness;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.SaslKafkaBroker;
import io.pricecast.testing.StackEndpoints;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest service against a real broker that only speaks SASL_PLAINTEXT/PLAIN: configured with the
 * {@code PRICECAST_KAFKA_SASL_*} variables, its upload producers, console consumer and producer and its admin client all
 * log in; a client with a wrong password or without SASL is refused by the broker.
 */
@ExtendWith(RealStack.class)
class SaslKafkaIngestTest {

    private static final String PASSWORD = SaslKafkaBroker.PASSWORD;
    private static final Duration WITHIN = Duration.ofSeconds(90);

    @Test
    void publishesUploadsAndConsoleRecordsThroughASaslBrokerThatRefusesWrongCredentials(
            StackEndpoints stack, SaslKafkaBroker kafka, @TempDir Path dir) throws Exception {
        String raw = kafka.createTopic("sasl-raw", 1);
        String clean = kafka.createTopic("sasl-clean", 2);
        String rejected = kafka.createTopic("sasl-rejected", 1);
        ServiceSettings settings = new ServiceSettings(
                kafka.bootstrap(),
                stack.registryUrl(),
                stack.cassandra(),
                stack.localDatacenter(),
                stack.createKeyspace("ingest_sasl"),
                0,
                dir.resolve("state"),
                kafka.serviceEnvironment(SaslKafkaBroker.USER, PASSWORD));
        assertThat(settings.toString()).doesNotContain(PASSWORD);
        IngestConfig config =
                IngestConfig.defaults().withTopics(raw, clean, rejected).withConsoleGroup("sasl-console-" + raw);
        try (IngestService service = IngestService.start(settings, config, stack.serdes())) {
            String base = "http://127.0.0.1:" + service.port();
            String id = json(IngestTestKit.post(
                            base + "/uploads?dataset=sasl",
                            HttpRequest.BodyPublishers.ofString(
                                    "symbol,date,open,high,low,close,volume,market\nSASL,2020-01-01,100,110,90,105,1000,5000\n"
                                            + "SASL,2020-01-02,100,110,90,105,1000,5000\n")))
                    .get("upload_id")
                    .asText();
            JsonNode status = await().atMost(WITHIN)
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () -> json(IngestTestKit.get(base + "/uploads/" + id)),
                            s -> !s.get("status").asText().matches("received|publishing"));
            assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("published");
            assertThat(status.at("/ingest/published").asLong()).isEqualTo(2);

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    kafka.clientProperties(SaslKafkaBroker.USER, PASSWORD),
                    new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>(raw, "SASL,2020-01-03,100,110,90,105,1000,5000"))
                        .get();
            }
            await().atMost(WITHIN).until(() -> IngestTestKit.records(base, "console", "accepted") == 1);
            assertThat(committed(kafka, clean, 3, stack))
                    .hasSize(3)
                    .allSatisfy(r -> assertThat(r.getSymbol()).isEqualTo("SASL"));
            // ready: Kafka answers the readiness check's admin client over SASL
            Readiness.await200(base + "/health", WITHIN);
        }

        try (Admin wrong = Admin.create(kafka.clientProperties(SaslKafkaBroker.USER, "not-the-password"))) {
            assertThatThrownBy(() -> wrong.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        Properties plaintext = new Properties();
        plaintext.put("default.api.timeout.ms", 5_000);
        plaintext.put("request.timeout.ms", 3_000);
        plaintext.put("bootstrap.servers", stack.kafkaBootstrap());
        try (Admin control = Admin.create(plaintext)) {
            assertThat(control.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                    .as("the same client settings reach a broker without SASL")
                    .hasSize(1);
        }
        plaintext.put("bootstrap.servers", kafka.bootstrap());
        try (Admin anonymous = Admin.create(plaintext)) {
            // the SASL listener drops a connection that starts with anything but the SASL handshake, so the
            // client never learns a node: its own 5 s API timeout ends the call, well within the 10 s given here
            assertThatThrownBy(() -> anonymous.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                    .as("a client without SASL gets nothing")
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
    }

    private static List<PriceRecord> committed(
            SaslKafkaBroker kafka, String topic, int expected, StackEndpoints stack) {
        Properties p = kafka.clientProperties(SaslKafkaBroker.USER, PASSWORD);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "sasl-reader-" + topic);
        List<PriceRecord> out = new ArrayList<>();
        try (KafkaConsumer<String, PriceRecord> consumer = new KafkaConsumer<>(
                p,
                new StringDeserializer(),
                stack.serdes().serde(PriceRecord.class, false).deserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(WITHIN).until(() -> {
                for (ConsumerRecord<String, PriceRecord> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
                return out.size() >= expected;
            });
        }
        return out;
    }
}

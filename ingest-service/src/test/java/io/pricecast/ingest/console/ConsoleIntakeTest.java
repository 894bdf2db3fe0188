package io.pricecast.ingest.console;

import static io.pricecast.ingest.IngestTestKit.readCommitted;
import static io.pricecast.ingest.IngestTestKit.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RecordSource;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.ingest.IngestConfig;
import io.pricecast.ingest.IngestService;
import io.pricecast.ingest.IngestTestKit.TestTopics;
import io.pricecast.ingest.metrics.IngestMetrics;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.StackEndpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RealStack.class)
class ConsoleIntakeTest {

    private static final Duration ARRIVES_WITHIN = Duration.ofSeconds(60);

    @Test
    void publishesJsonAndCsvMessagesWithRawLineageAndRejectsTheBadOnes(StackEndpoints stack, @TempDir Path state)
            throws Exception {
        TestTopics topics = TestTopics.create(stack, "console", 1);
        IngestConfig config = IngestConfig.defaults().withTopics(topics.raw(), topics.clean(), topics.rejected())
                .withConsoleGroup("console-test-" + topics.raw());
        try (IngestService service = IngestService.start(settings(stack, stack.createKeyspace("ingest_console"), state, 0),
                config, stack.serdes())) {
            RecordMetadata json = send(stack, topics.raw(),
                    "{\"symbol\":\"BTC\",\"date\":\"2020-01-01\",\"open\":100,\"high\":110,\"low\":90,\"close\":105,"
                            + "\"volume\":1000,\"market\":5000}");
            RecordMetadata csv = send(stack, topics.raw(), "BTC,2020-01-02,105,115,100,110,1000,5000");
            RecordMetadata named = send(stack, topics.raw(),
                    "{\"dataset\":\"lab\",\"symbol\":\"ETH\",\"date\":\"2020-01-02\",\"open\":\"1\",\"high\":\"2\","
                            + "\"low\":\"0.5\",\"close\":\"1.5\",\"volume\":\"0\",\"market\":\"0\"}");
            RecordMetadata bad = send(stack, topics.raw(), "BTC,2020-01-03,abc,115,100,110,1000,5000");
            send(stack, topics.raw(), "BTC,2020-01-02,105,115,100,110,1000,5000");
            RecordMetadata older = send(stack, topics.raw(), "BTC,2020-01-01,100,110,90,105,1000,5000");
            RecordMetadata conflicting = send(stack, topics.raw(), "BTC,2020-01-02,999,1000,100,110,1000,5000");

            List<PriceRecord> clean = await().atMost(ARRIVES_WITHIN)
                    .until(() -> values(readCommitted(stack, topics.clean(),
                            stack.serdes().serde(PriceRecord.class, false).deserializer())), list -> list.size() >= 3);
            assertThat(clean).hasSize(3);
            PriceRecord fromJson = clean.get(0);
            assertThat(fromJson.getDataset()).isEqualTo(IngestConfig.LIVE_DATASET);
            assertThat(fromJson.getSymbol()).isEqualTo("BTC");
            assertThat(fromJson.getDate()).isEqualTo(LocalDate.of(2020, 1, 1));
            assertThat(fromJson.getSource()).isEqualTo(RecordSource.CONSOLE);
            assertThat(fromJson.getRawTopic()).isEqualTo(topics.raw());
            assertThat(fromJson.getRawPartition()).isEqualTo(json.partition());
            assertThat(fromJson.getRawOffset()).isEqualTo(json.offset());
            assertThat(fromJson.getUploadId()).isNull();
            assertThat(clean.get(1).getRawOffset()).isEqualTo(csv.offset());
            assertThat(clean.get(1).getOpen()).isEqualTo(105.0);
            assertThat(clean.get(2).getDataset()).isEqualTo("lab");
            assertThat(clean.get(2).getRawOffset()).isEqualTo(named.offset());

            List<RejectedRecord> rejected = await().atMost(ARRIVES_WITHIN)
                    .until(() -> values(readCommitted(stack, topics.rejected(),
                            stack.serdes().serde(RejectedRecord.class, false).deserializer())), list -> list.size() >= 3);
            assertThat(rejected).extracting(RejectedRecord::getReason)
                    .containsExactly("bad_number", "out_of_order", "conflicting_duplicate");
            assertThat(rejected).extracting(RejectedRecord::getRawOffset)
                    .containsExactly(bad.offset(), older.offset(), conflicting.offset());
            assertThat(rejected.get(0).getMessage()).contains("offset " + bad.offset()).contains("open");
            assertThat(rejected.get(0).getRaw()).isEqualTo("BTC,2020-01-03,abc,115,100,110,1000,5000");
            assertThat(rejected).allSatisfy(r -> assertThat(r.getSource()).isEqualTo(RecordSource.CONSOLE));

            await().atMost(ARRIVES_WITHIN).until(() -> service.metrics().value("console.records.duplicates") == 1);
            assertThat(service.metrics().value("console.records.accepted")).isEqualTo(3);
            assertThat(service.metrics().value("console.records.rejected")).isEqualTo(3);
            assertThat(service.metrics().value(IngestMetrics.UPLOADS_RECEIVED)).isZero();
        }
    }

    @Test
    void aCassandraErrorOnAHeadReadRestartsTheIntakeWhichThenPublishesTheRecord(StackEndpoints stack, @TempDir Path state)
            throws Exception {
        TestTopics topics = TestTopics.create(stack, "console-heads", 1);
        IngestConfig config = IngestConfig.defaults().withTopics(topics.raw(), topics.clean(), topics.rejected())
                .withConsoleGroup("console-heads-test-" + topics.raw());
        String keyspace = stack.createKeyspace("ingest_heads");
        try (IngestService service = IngestService.start(settings(stack, keyspace, state, 0), config, stack.serdes());
             CqlSession cql = stack.cqlSession()) {
            String health = "http://127.0.0.1:" + service.port() + "/health";
            String table = cql.getMetadata().getKeyspace(keyspace).flatMap(k -> k.getTable("series_heads")).orElseThrow()
                    .describe(false);
            // without its table every head read fails with a driver error, as it does while Cassandra is unreachable
            cql.execute("DROP TABLE " + keyspace + ".series_heads");
            send(stack, topics.raw(), "BTC,2020-01-01,100,110,90,105,1000,5000");
            await().atMost(ARRIVES_WITHIN).until(() -> body(health).contains("restarting after"));

            cql.execute(table);
            List<PriceRecord> clean = await().atMost(ARRIVES_WITHIN)
                    .until(() -> values(readCommitted(stack, topics.clean(),
                            stack.serdes().serde(PriceRecord.class, false).deserializer())), list -> !list.isEmpty());
            assertThat(clean).extracting(PriceRecord::getDate).containsExactly(LocalDate.of(2020, 1, 1));
            await().atMost(ARRIVES_WITHIN).until(() -> !body(health).contains("restarting after"));
        }
    }

    private static String body(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static RecordMetadata send(StackEndpoints stack, String topic, String value) throws Exception {
        Properties p = stack.kafkaProperties();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            return producer.send(new ProducerRecord<>(topic, value)).get();
        }
    }

    private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}

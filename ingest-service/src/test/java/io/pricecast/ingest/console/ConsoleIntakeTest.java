package io.pricecast.ingest.console;

import static io.pricecast.ingest.IngestTestKit.readCommitted;
import static io.pricecast.ingest.IngestTestKit.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pricecast.avro.PriceRecord;
import io.pricecast.avro.RecordSource;
import io.pricecast.avro.RejectedRecord;
import io.pricecast.ingest.IngestConfig;
import io.pricecast.ingest.IngestService;
import io.pricecast.ingest.IngestTestKit;
import io.pricecast.ingest.IngestTestKit.TestTopics;
import io.pricecast.ingest.metrics.IngestMeters;
import io.pricecast.runtime.metrics.PrometheusText;
import io.pricecast.testing.RealStack;
import io.pricecast.testing.StackEndpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RealStack.class)
class ConsoleIntakeTest {

    private static final Duration ARRIVES_WITHIN = Duration.ofSeconds(60);

    /**
     * The intake judges each message alone (the series' history is scoring's: an older day, a repeat and a correction
     * of a stored day are published for it to judge, see ScoringTopologyTest).
     */
    @Test
    void publishesJsonAndCsvMessagesWithRawLineageAndRejectsTheBadOnes(StackEndpoints stack, @TempDir Path state)
            throws Exception {
        TestTopics topics = TestTopics.create(stack, "console", 1);
        IngestConfig config = IngestConfig.defaults()
                .withTopics(topics.raw(), topics.clean(), topics.rejected())
                .withConsoleGroup("console-test-" + topics.raw());
        try (IngestService service = IngestService.start(
                settings(stack, stack.createKeyspace("ingest_console"), state, 0), config, stack.serdes())) {
            RecordMetadata json = send(
                    stack,
                    topics.raw(),
                    "{\"symbol\":\"BTC\",\"date\":\"2020-01-01\",\"open\":100,\"high\":110,\"low\":90,\"close\":105,"
                            + "\"volume\":1000,\"market\":5000}");
            RecordMetadata csv = send(stack, topics.raw(), "BTC,2020-01-02,105,115,100,110,1000,5000");
            RecordMetadata named = send(
                    stack,
                    topics.raw(),
                    "{\"dataset\":\"lab\",\"symbol\":\"ETH\",\"date\":\"2020-01-02\",\"open\":\"1\",\"high\":\"2\","
                            + "\"low\":\"0.5\",\"close\":\"1.5\",\"volume\":\"0\",\"market\":\"0\"}");
            RecordMetadata bad = send(stack, topics.raw(), "BTC,2020-01-03,abc,115,100,110,1000,5000");
            RecordMetadata repeat = send(stack, topics.raw(), "BTC,2020-01-02,105,115,100,110,1000,5000");
            RecordMetadata older = send(stack, topics.raw(), "BTC,2020-01-01,100,110,90,105,1000,5000");

            List<PriceRecord> clean = await().atMost(ARRIVES_WITHIN)
                    .until(
                            () -> values(readCommitted(
                                    stack,
                                    topics.clean(),
                                    stack.serdes()
                                            .serde(PriceRecord.class, false)
                                            .deserializer())),
                            list -> list.size() >= 5);
            assertThat(clean).hasSize(5);
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
            assertThat(clean.subList(3, 5))
                    .extracting(PriceRecord::getRawOffset)
                    .containsExactly(repeat.offset(), older.offset());

            List<RejectedRecord> rejected = await().atMost(ARRIVES_WITHIN)
                    .until(
                            () -> values(readCommitted(
                                    stack,
                                    topics.rejected(),
                                    stack.serdes()
                                            .serde(RejectedRecord.class, false)
                                            .deserializer())),
                            list -> !list.isEmpty());
            assertThat(rejected).singleElement().satisfies(r -> {
                assertThat(r.getReason()).isEqualTo("bad_number");
                assertThat(r.getRawOffset()).isEqualTo(bad.offset());
                assertThat(r.getMessage()).contains("offset " + bad.offset()).contains("open");
                assertThat(r.getRaw()).isEqualTo("BTC,2020-01-03,abc,115,100,110,1000,5000");
                assertThat(r.getSource()).isEqualTo(RecordSource.CONSOLE);
            });

            String base = "http://127.0.0.1:" + service.port();
            await().atMost(ARRIVES_WITHIN).until(() -> IngestTestKit.records(base, "console", "accepted") == 5);
            PrometheusText metrics = IngestTestKit.metrics(base);
            assertThat(metrics.sum(
                            IngestMeters.RECORDS_SAMPLE,
                            "intake",
                            "console",
                            "outcome",
                            "rejected",
                            "reason",
                            "bad_number"))
                    .isEqualTo(1);
            assertThat(metrics.sum(IngestMeters.RECORDS_SAMPLE, "outcome", "rejected"))
                    .isEqualTo(1);
            assertThat(metrics.sum(IngestMeters.UPLOADS_SAMPLE, "outcome", "received"))
                    .isZero();
            assertThat(metrics.has("kafka_consumer_fetch_manager_records_consumed_total"))
                    .as("the intake's Kafka consumer's own meters")
                    .isTrue();
        }
    }

    /**
     * A backlog larger than a poll, each poll longer than a transaction's {@link ConsoleIntake#TRANSACTION_TIME}: every
     * message is published once, in raw order, whatever the number of transactions it took, and the group's committed
     * offset is the end of the raw topic.
     */
    @Test
    void aBacklogCommittedInManyTransactionsIsPublishedExactlyOnce(StackEndpoints stack, @TempDir Path state)
            throws Exception {
        int messages = 3 * ConsoleIntake.MAX_POLL_RECORDS + 1_234;
        TestTopics topics = TestTopics.create(stack, "console-backlog", 1);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(stack.kafkaProperties(), new StringSerializer(), new StringSerializer())) {
            LocalDate day = LocalDate.of(2020, 1, 1);
            for (int i = 0; i < messages; i++) {
                producer.send(new ProducerRecord<>(
                        topics.raw(), "S" + (i % 50) + "," + day.plusDays(i / 50) + ",100,110,90,105,1000,5000"));
            }
            producer.flush();
        }
        String group = "console-backlog-" + topics.raw();
        IngestConfig config = IngestConfig.defaults()
                .withTopics(topics.raw(), topics.clean(), topics.rejected())
                .withConsoleGroup(group);
        try (IngestService service = IngestService.start(
                settings(stack, stack.createKeyspace("ingest_backlog"), state, 0), config, stack.serdes())) {
            await().atMost(ARRIVES_WITHIN)
                    .until(() -> service.meters().accepted(IngestMeters.Intake.CONSOLE) == messages);
        }
        List<PriceRecord> clean = values(readCommitted(
                stack,
                topics.clean(),
                stack.serdes().serde(PriceRecord.class, false).deserializer()));
        assertThat(clean)
                .extracting(PriceRecord::getRawOffset)
                .containsExactlyElementsOf(LongStream.range(0, messages).boxed().toList());
        assertThat(readCommitted(
                        stack,
                        topics.rejected(),
                        stack.serdes().serde(RejectedRecord.class, false).deserializer()))
                .isEmpty();
        try (Admin admin = Admin.create(stack.kafkaProperties())) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
            assertThat(committed).containsOnlyKeys(new TopicPartition(topics.raw(), 0));
            assertThat(committed.get(new TopicPartition(topics.raw(), 0)).offset())
                    .isEqualTo(messages);
        }
    }

    private static RecordMetadata send(StackEndpoints stack, String topic, String value) throws Exception {
        Properties p = stack.kafkaProperties();
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            return producer.send(new ProducerRecord<>(topic, value)).get();
        }
    }

    private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}

package io.pricecast.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.pricecast.schemas.Topics;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention of the catalogue's topics on a real broker: the local stack's own Kafka process, started as
 * {@code ./pricecast up} starts it (which runs {@link SystemInit#createTopics} once the broker is healthy). The
 * topics a prediction's lineage points into must never lose a record, on a new broker and on one whose topics an
 * earlier build created with the broker's default retention (7 days).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopicRetentionTest {

    /** The broker's default retention (log.retention.hours=168), what a topic without an override has. */
    private static final String SEVEN_DAYS_MS = "604800000";

    @TempDir
    static Path home;

    private LocalStack stack;
    private Thread shutdownHook;
    private Admin admin;

    @BeforeAll
    void startKafka() {
        stack = new LocalStack(
                StackConfig.forTests(home, new PortAllocator()), line -> System.out.println("[kafka] " + line));
        // a test JVM that ends without @AfterAll still stops the broker it started
        shutdownHook = new Thread(stack::down, "topic-retention-test-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        stack.start("kafka");
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().kafkaBootstrap());
        admin = Admin.create(p);
    }

    @AfterAll
    void stopKafka() {
        if (admin != null) {
            admin.close();
        }
        if (stack != null) {
            stack.down();
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
    }

    @Test
    @Order(1)
    void aNewBrokerKeepsEveryTopicButTheCompactedModelsTopicForever() {
        assertThat(Topics.KEPT_FOREVER)
                .extracting(Topics.Topic::name)
                .containsExactlyInAnyOrder(
                        "prices.raw",
                        "prices.clean",
                        "prices.accepted",
                        "prices.rejected",
                        "predictions",
                        "accuracy",
                        "uploads.verdicts");

        Map<String, Config> configs =
                describe(Topics.ALL.stream().map(Topics.Topic::name).toList());
        for (Topics.Topic t : Topics.KEPT_FOREVER) {
            assertKeptForever(configs.get(t.name()), t.name());
        }
        // the registry: compaction keeps each key's newest record (and every audit entry) forever
        Config models = configs.get("models");
        assertThat(models.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
        assertThat(models.get(TopicConfig.RETENTION_MS_CONFIG).source())
                .as("no retention override on models")
                .isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    @Order(2)
    void topicsAnEarlierBuildCreatedWithTheDefaultRetentionAreKeptForeverAtTheNextStartWithTheirRecords()
            throws Exception {
        // as an earlier build left them: no retention override on the lineage topics, and a record on prices.clean
        Map<ConfigResource, Collection<AlterConfigOp>> removeOverrides = new HashMap<>();
        Map<String, Map<String, String>> brokerDefault = new HashMap<>();
        for (Topics.Topic t : Topics.KEPT_FOREVER) {
            removeOverrides.put(
                    new ConfigResource(ConfigResource.Type.TOPIC, t.name()),
                    List.of(
                            new AlterConfigOp(
                                    new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, ""), AlterConfigOp.OpType.DELETE),
                            new AlterConfigOp(
                                    new ConfigEntry(TopicConfig.RETENTION_BYTES_CONFIG, ""),
                                    AlterConfigOp.OpType.DELETE)));
            brokerDefault.put(t.name(), Map.of(TopicConfig.RETENTION_MS_CONFIG, SEVEN_DAYS_MS));
        }
        admin.incrementalAlterConfigs(removeOverrides).all().get(30, TimeUnit.SECONDS);
        SystemInit.awaitReported(admin, brokerDefault);
        RecordMetadata old = produce("prices.clean", "live|BTC", "a record older than this start");
        int partitions = partitions("prices.clean");

        // the next ./pricecast up: the broker is running, so the stack only initialises it again
        stack.start("kafka");

        Map<String, Config> configs =
                describe(Topics.KEPT_FOREVER.stream().map(Topics.Topic::name).toList());
        for (Topics.Topic t : Topics.KEPT_FOREVER) {
            assertKeptForever(configs.get(t.name()), t.name());
        }
        // altered in place, not re-created: same partitions, and the record is still at its offset
        assertThat(partitions("prices.clean")).isEqualTo(partitions);
        TopicPartition tp = new TopicPartition(old.topic(), old.partition());
        assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.earliest()))
                        .partitionResult(tp)
                        .get()
                        .offset())
                .isLessThanOrEqualTo(old.offset());
        assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                        .partitionResult(tp)
                        .get()
                        .offset())
                .isGreaterThan(old.offset());
    }

    @Test
    @Order(3)
    void initIsIdempotentAndCreatesNothingTheSecondTime() {
        assertThat(SystemInit.createTopics(
                        stack.config().kafkaBootstrap(), stack.config().partitions(), (short) 1))
                .isEmpty();
        Map<String, Config> configs =
                describe(Topics.KEPT_FOREVER.stream().map(Topics.Topic::name).toList());
        for (Topics.Topic t : Topics.KEPT_FOREVER) {
            assertKeptForever(configs.get(t.name()), t.name());
        }
    }

    private static void assertKeptForever(Config config, String topic) {
        for (String key : List.of(TopicConfig.RETENTION_MS_CONFIG, TopicConfig.RETENTION_BYTES_CONFIG)) {
            ConfigEntry entry = config.get(key);
            assertThat(entry.value()).as(topic + " " + key).isEqualTo("-1");
            assertThat(entry.source())
                    .as(topic + " " + key + " is the topic's own setting")
                    .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        }
        assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
                .as(topic + ": records are deleted, never compacted away")
                .isEqualTo("delete");
    }

    private Map<String, Config> describe(List<String> topics) {
        try {
            Map<String, Config> result = new HashMap<>();
            admin.describeConfigs(topics.stream()
                            .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                            .toList())
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .forEach((r, c) -> result.put(r.name(), c));
            return result;
        } catch (Exception e) {
            throw new IllegalStateException("describeConfigs " + topics + " failed", e);
        }
    }

    private int partitions(String topic) throws Exception {
        return admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic)
                .partitions()
                .size();
    }

    private RecordMetadata produce(String topic, String key, String value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }
}

package io.pricecast.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.pricecast.avro.Prediction;
import io.pricecast.stack.LocalStack;
import io.pricecast.stack.PortAllocator;
import io.pricecast.stack.StackConfig;
import io.pricecast.testing.UniqueNames;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cassandra killed for 30 s while forecasts keep arriving, on a stack of the test's own (the shared
 * test stack's Cassandra is not ours to stop).
 */
class CassandraOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final int SYMBOLS = 100;
    private static final int DAYS = 500;
    private static final int CHUNK = 100;
    private static final Duration CHUNK_EVERY = Duration.ofMillis(100);

    @TempDir
    Path home;

    private LocalStack stack;

    @AfterEach
    void stopTheStack() {
        if (stack != null) {
            stack.down();
        }
    }

    @Test
    void losesNothingWhileCassandraIsDownShowsItInHealthAndRecoversAlone() throws Exception {
        stack = new LocalStack(
                StackConfig.forTests(home, new PortAllocator()), line -> System.out.println("[outage stack] " + line));
        stack.up();
        StackConfig c = stack.config();
        SinkTestKit kit = new SinkTestKit(
                c.kafkaBootstrap(),
                c.registryUrl(),
                "127.0.0.1:" + c.cassandraPort(),
                c.keyspace(),
                UniqueNames.topic("outage.predictions"),
                UniqueNames.topic("outage.prices"),
                UniqueNames.topic("outage.accuracy"),
                UniqueNames.topic("outage.verdicts"),
                UniqueNames.topic("outage.rejected"),
                UniqueNames.topic("outage-group"),
                Map.of());
        createTopics(kit);
        List<Prediction> load = SampleData.synthetic("outage", SYMBOLS, DAYS, kit.prices());
        Set<String> expected = load.stream().map(Prediction::getPredictionId).collect(Collectors.toSet());

        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger sent = new AtomicInteger();
        try (KafkaProducer<String, Prediction> producer = new KafkaProducer<>(
                        p,
                        new StringSerializer(),
                        kit.serdes().serde(Prediction.class, false).serializer());
                SinkService sink = kit.startSink();
                CqlSession session = kit.session()) {
            String health = "http://127.0.0.1:" + sink.port() + "/health";
            feeder.scheduleAtFixedRate(
                    () -> {
                        int from = sent.get();
                        for (Prediction f : load.subList(from, Math.min(from + CHUNK, load.size()))) {
                            producer.send(
                                    new ProducerRecord<>(kit.predictions(), f.getDataset() + "|" + f.getSymbol(), f));
                        }
                        sent.set(Math.min(from + CHUNK, load.size()));
                    },
                    0,
                    CHUNK_EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> sink.metrics().rowsWritten("predictions_by_series") >= 2_000);
            ProcessHandle cassandra = stack.processes("cassandra").get(0);
            cassandra.destroyForcibly();
            cassandra.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            int sentAtKill = sent.get();

            await().atMost(Duration.ofSeconds(15))
                    .until(() -> SinkTestKit.get(health).statusCode() == 503);
            HttpResponse<String> down = SinkTestKit.get(health);
            assertThat(down.body()).containsIgnoringCase("cassandra");
            // unhealthy for the whole outage, while records keep arriving in Kafka
            await().during(OUTAGE.minusSeconds(5))
                    .atMost(OUTAGE)
                    .until(() -> SinkTestKit.get(health).statusCode() == 503);
            assertThat(sent.get()).isGreaterThan(sentAtKill);
            assertThat(sink.metrics().writeRetries()).isPositive();

            stack.up(); // restarts only what is not running: Cassandra, same data, same port
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> SinkTestKit.get(health).statusCode() == 200);
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> sent.get() == load.size()
                            && kit.count(session, "predictions_by_series", "") >= expected.size());
            Set<String> stored = new HashSet<>();
            for (Row r : session.execute("SELECT prediction_id FROM " + kit.keyspace() + ".predictions_by_series")) {
                stored.add(r.getString(0));
            }
            assertThat(stored).isEqualTo(expected);
        } finally {
            feeder.shutdownNow();
        }
    }

    private static void createTopics(SinkTestKit kit) throws Exception {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrap());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(
                            List.of(kit.predictions(), kit.prices(), kit.accuracy(), kit.verdicts(), kit.rejected())
                                    .stream()
                                    .map(t -> new NewTopic(t, SinkTestKit.PARTITIONS, (short) 1).configs(Map.of()))
                                    .toList())
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }
}

package io.pricecast.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import io.pricecast.schemas.Topics;
import io.pricecast.stack.LocalStack;
import io.pricecast.stack.PortAllocator;
import io.pricecast.stack.StackConfig;
import io.pricecast.stack.StackException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code ./pricecast up|down} promise, on a stack of its own (not the shared test stack). */
class LocalStackLifecycleTest {

    @TempDir
    Path home;

    private LocalStack stack;

    @AfterEach
    void stopEverything() {
        if (stack != null) {
            stack.down();
        }
    }

    @Test
    void upDownUpKeepsDataAndUpRecoversCassandraAfterKillNine() throws Exception {
        stack = new LocalStack(StackConfig.forTests(home, new PortAllocator()), System.out::println);
        StackConfig config = stack.config();

        stack.up();
        assertThat(stack.status()).allMatch(s -> s.health().healthy());
        produce(config, "survives a restart");
        try (CqlSession session = session(config)) {
            session.execute("CREATE TABLE " + config.keyspace() + ".kept (id int PRIMARY KEY, note text)");
            session.execute("INSERT INTO " + config.keyspace() + ".kept (id, note) VALUES (1, 'before down')");
        }

        stack.down();
        assertNoProcessLeft(config);

        stack.up();
        assertThat(consumeAll(config)).containsExactly("survives a restart");
        assertThat(readNote(config, 1)).isEqualTo("before down");

        try (CqlSession session = session(config)) {
            session.execute(
                    "INSERT INTO " + config.keyspace() + ".kept (id, note) VALUES (2, 'acknowledged before kill -9')");
        }
        ProcessHandle cassandra = stack.processes("cassandra").get(0);
        cassandra.destroyForcibly();
        cassandra.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(stack.status()).filteredOn(s -> s.name().equals("cassandra")).allMatch(s -> s.pid() == null);

        stack.up();
        assertThat(stack.status()).allMatch(s -> s.health().healthy());
        assertThat(readNote(config, 2)).isEqualTo("acknowledged before kill -9");

        stack.down();
        assertNoProcessLeft(config);
    }

    @Test
    void refusesToStartWhenAPortIsTakenAndNamesThePort() throws IOException {
        stack = new LocalStack(StackConfig.forTests(home, new PortAllocator()), System.out::println);
        int kafkaPort = stack.config().kafkaPort();
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), kafkaPort));
            assertThatThrownBy(stack::up)
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining("kafka cannot start")
                    .hasMessageContaining("port " + kafkaPort + " is already in use");
        }
        assertNoProcessLeft(stack.config());
    }

    private void assertNoProcessLeft(StackConfig config) {
        StackTeardown.assertNothingLeft(stack);
        assertThat(stack.status()).allMatch(s -> s.pid() == null);
    }

    private static void produce(StackConfig config, String value) throws Exception {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(Topics.PRICES_RAW.name(), "k", value))
                    .get();
        }
    }

    private static List<String> consumeAll(StackConfig config) {
        Properties c = new Properties();
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, UniqueNames.topic("lifecycle"));
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of(Topics.PRICES_RAW.name()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return !values.isEmpty();
            });
        }
        return values;
    }

    private static String readNote(StackConfig config, int id) {
        try (CqlSession session = session(config)) {
            return session.execute("SELECT note FROM " + config.keyspace() + ".kept WHERE id = " + id)
                    .one()
                    .getString(0);
        }
    }

    private static CqlSession session(StackConfig config) {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", config.cassandraPort()))
                .withLocalDatacenter("datacenter1")
                .build();
    }
}
